// Which profile an analysis uses: the one asked for, else the one detected from the manifests, else generic.
import type { ManifestObject } from '../manifest/types.js';
import type { SourceLocation } from '../source/source.js';
import { detectProfile } from './detect.js';
import { GENERIC_PROFILE, resolveProfile } from './index.js';
import type { Profile } from './profile.js';

export type ProfileChoice =
  | { readonly how: 'declared'; readonly profile: Profile }
  | { readonly how: 'detected'; readonly profile: Profile; readonly evidence: SourceLocation; readonly description: string }
  | { readonly how: 'default'; readonly profile: Profile };

/** `declared` must already be valid (the CLI and config validate it with resolveProfile). */
export function chooseProfile(declared: string | undefined, objects: readonly ManifestObject[]): ProfileChoice {
  if (declared !== undefined) {
    const profile = resolveProfile(declared);
    if ('error' in profile) throw new Error(profile.error);
    return { how: 'declared', profile };
  }
  const detection = detectProfile(objects);
  if (detection !== undefined) {
    const profile = resolveProfile(detection.profile);
    if (!('error' in profile)) return { how: 'detected', profile, evidence: detection.evidence, description: detection.description };
  }
  return { how: 'default', profile: GENERIC_PROFILE };
}
