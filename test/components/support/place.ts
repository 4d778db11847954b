/**
 * @packageDocumentation
 * `place()`: renders a test fixture whose root is plain HTML (a `<form>`, a `<div>`) and waits
 * for the custom elements inside it to finish updating.
 *
 * open-wc's `fixture()` waits for an animation frame when the root is not a Lit element, and
 * web-test-runner runs two test pages at once here: Chromium gives the one in the background no
 * animation frames, so those tests would time out. Lit's `updateComplete` needs no frame.
 */
import { fixtureSync } from '@open-wc/testing';
import type { TemplateResult } from 'lit';

interface Updating {
  updateComplete: Promise<unknown>;
}

function isUpdating(element: Element): element is Element & Updating {
  return 'updateComplete' in element;
}

/** Renders `template` and resolves once every custom element in it has rendered. */
export async function place<T extends Element>(template: TemplateResult): Promise<T> {
  const root = fixtureSync<T>(template);
  const elements = [root, ...root.querySelectorAll('*')].filter(isUpdating);
  await Promise.all(elements.map((element) => element.updateComplete));
  return root;
}
