import { expect } from '@open-wc/testing';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { StepUpController } from '../../../components/core/step-up.ts';

/** A host that counts what the controller asks of it. */
class FakeHost implements ReactiveControllerHost {
  updateRequests = 0;
  readonly updateComplete = Promise.resolve(true);
  addController(_controller: ReactiveController): void {}
  removeController(): void {}
  requestUpdate(): void {
    this.updateRequests += 1;
  }
}

interface Harness {
  host: FakeHost;
  stepUp: StepUpController;
  /** How often the prompt was loaded. */
  loads: number;
}

function harness(): Harness {
  const host = new FakeHost();
  const state: Harness = {
    host,
    loads: 0,
    stepUp: new StepUpController(host, async () => {
      state.loads += 1;
    }),
  };
  return state;
}

describe('StepUpController', () => {
  it('has nothing pending at first, and resuming or ending then does nothing', async () => {
    const state = harness();
    expect(state.stepUp.pending).to.be.false;
    await state.stepUp.resume();
    state.stepUp.end();
    expect(state.host.updateRequests).to.equal(0);
    expect(state.loads).to.equal(0);
  });

  describe('when the server asks for a step-up', () => {
    it('loads the prompt, then holds the action and asks the host to show the prompt', async () => {
      const state = harness();
      let pendingWhileLoading: boolean | undefined;
      const stepUp = new StepUpController(state.host, async () => {
        pendingWhileLoading = stepUp.pending;
      });
      await stepUp.request(async () => {});
      expect(pendingWhileLoading).to.be.false;
      expect(stepUp.pending).to.be.true;
      expect(state.host.updateRequests).to.equal(1);
    });

    it('runs the action again on resume, and keeps it pending until it is ended', async () => {
      const state = harness();
      let runs = 0;
      await state.stepUp.request(async () => {
        runs += 1;
      });
      expect(state.loads).to.equal(1);
      await state.stepUp.resume();
      await state.stepUp.resume();
      expect(runs).to.equal(2);
      expect(state.stepUp.pending).to.be.true;
      state.stepUp.end();
      expect(state.stepUp.pending).to.be.false;
      expect(state.host.updateRequests).to.equal(2);
      await state.stepUp.resume();
      expect(runs).to.equal(2);
    });

    it('passes on what the action throws, and still holds it', async () => {
      const state = harness();
      await state.stepUp.request(async () => {
        throw new Error('refused');
      });
      let thrown: unknown;
      try {
        await state.stepUp.resume();
      } catch (error) {
        thrown = error;
      }
      expect((thrown as Error).message).to.equal('refused');
      expect(state.stepUp.pending).to.be.true;
    });

    it('holds only the latest action', async () => {
      const state = harness();
      const runs: string[] = [];
      await state.stepUp.request(async () => {
        runs.push('first');
      });
      await state.stepUp.request(async () => {
        runs.push('second');
      });
      await state.stepUp.resume();
      expect(runs).to.deep.equal(['second']);
    });
  });
});
