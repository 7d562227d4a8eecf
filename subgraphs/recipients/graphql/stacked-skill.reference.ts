/**
 * A stacked skill exists only inside the share or consent view that computed it, and opening that view needs the
 * token or the consent check, which a bare id cannot carry. The gateway never needs this: it reads
 * `verificationInputs` in the same fetch as the stacked skill. The key is resolvable only because composition
 * requires a way back to recipients for `@requires`; a reference by id alone resolves to nothing.
 */
export function resolveStackedSkillReference(): null {
  return null;
}

/** Likewise a candidate view: it exists only inside the share or consent that opened it; the key is there for `@requires`. */
export function resolveCandidateViewReference(): null {
  return null;
}
