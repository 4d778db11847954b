import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { ApiBaseMixin } from '../../../components/core/api-base.ts';
import {
  sameOriginApiBase,
  setDefaultApiBase,
  type ApiClient,
} from '../../../components/core/api-client.ts';

class ApiProbe extends ApiBaseMixin(LitElement) {
  /** The protected client, for the test to look at. */
  get client(): ApiClient {
    return this.api;
  }
}
customElements.define('ab-test-api-probe', ApiProbe);

describe('ApiBaseMixin', () => {
  afterEach(() => setDefaultApiBase(sameOriginApiBase));

  it('calls same-origin /api without an api-base attribute', async () => {
    const el = await fixture<ApiProbe>(html`<ab-test-api-probe></ab-test-api-probe>`);
    expect(el.apiBase).to.equal('');
    expect(el.client.url('/auth/me')).to.equal('/api/auth/me');
  });

  it('calls the api-base attribute when given', async () => {
    const el = await fixture<ApiProbe>(
      html`<ab-test-api-probe api-base="https://wallet.example.com/api/"></ab-test-api-probe>`,
    );
    expect(el.client.url('/auth/me')).to.equal('https://wallet.example.com/api/auth/me');
  });

  it('follows changes of the attribute and of the page-wide default', async () => {
    const el = await fixture<ApiProbe>(html`<ab-test-api-probe></ab-test-api-probe>`);
    const first = el.client;
    expect(el.client).to.equal(first);
    setDefaultApiBase('/other-api');
    expect(el.client.baseUrl).to.equal('/other-api');
    el.setAttribute('api-base', '/mine');
    expect(el.client.baseUrl).to.equal('/mine');
  });

  it('answers a real request through the client', async () => {
    const el = await fixture<ApiProbe>(html`<ab-test-api-probe></ab-test-api-probe>`);
    const health = await el.client.get<{ status: string }>('/health');
    expect(health.status).to.equal('ok');
  });
});
