import { expect } from '@open-wc/testing';

describe('the API server behind the element tests', () => {
  it('answers same-origin /api/health with a migrated database', async () => {
    const response = await fetch('/api/health');
    expect(response.status).to.equal(200);
    const body = await response.json();
    expect(body.status).to.equal('ok');
    expect(body.migrations.pending).to.deep.equal([]);
  });

  it('answers an unknown route with problem+json', async () => {
    const response = await fetch('/api/nothing-here', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(response.status).to.equal(404);
    expect(response.headers.get('content-type')).to.equal('application/problem+json');
  });
});
