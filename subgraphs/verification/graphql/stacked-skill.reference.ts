import type { WalletCredential } from '../services/verifications.js';
import { StackedSkill } from './stacked-skill.entity.js';

/** A StackedSkill reference as the gateway sends it, with the supporting credentials recipients gave it. */
export function resolveStackedSkillReference(reference: { id: string; verificationInputs?: WalletCredential[] }): StackedSkill {
  return { id: reference.id, verificationInputs: reference.verificationInputs ?? [] };
}
