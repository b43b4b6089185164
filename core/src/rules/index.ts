// Every lint rule, sorted by id: adding a rule is one file here, its doc and its test.
import type { Rule } from '../lint/types.js';
import invalidManifest from './invalid-manifest.js';
import policySelectsNothing from './policy-selects-nothing.js';

export const RULES: readonly Rule[] = [invalidManifest, policySelectsNothing];
