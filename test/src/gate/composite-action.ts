// Runs a composite GitHub Action (action.yml) the way the GitHub runner does, without GitHub: each step in
// order, its `if:` evaluated, its `${{ }}` expressions substituted, its `run` script executed with the
// step's shell and the runner's environment files (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_PATH,
// GITHUB_STEP_SUMMARY). The expression support is deliberately small and strict: anything it does not
// know throws, so a change to action.yml that this emulation cannot reproduce fails the test instead of
// passing silently.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import yaml from 'js-yaml';

export interface ActionInput {
  readonly description?: string;
  readonly default?: string;
  readonly required?: boolean;
}

export interface ActionStep {
  readonly id?: string;
  readonly name?: string;
  readonly if?: string | boolean;
  readonly shell?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  readonly env?: Readonly<Record<string, unknown>>;
  readonly 'working-directory'?: string;
}

export interface CompositeAction {
  readonly inputs: Readonly<Record<string, ActionInput>>;
  readonly outputs: Readonly<Record<string, { readonly value: string }>>;
  readonly steps: readonly ActionStep[];
}

const STEP_KEYS = new Set(['id', 'name', 'if', 'shell', 'run', 'uses', 'with', 'env', 'working-directory']);

/** action.yml, checked to be a composite action whose steps use only keys this emulation implements. */
export function loadCompositeAction(file: string): CompositeAction {
  const document = yaml.load(readFileSync(file, 'utf8')) as {
    inputs?: Record<string, ActionInput>;
    outputs?: Record<string, { value: string }>;
    runs?: { using?: string; steps?: ActionStep[] };
  };
  if (document.runs?.using !== 'composite') throw new Error(`${file}: runs.using is ${String(document.runs?.using)}, not composite`);
  const steps = document.runs.steps ?? [];
  steps.forEach((step, index) => {
    const unknown = Object.keys(step).filter((key) => !STEP_KEYS.has(key));
    if (unknown.length > 0) throw new Error(`step ${index + 1} uses keys this emulation does not implement: ${unknown.join(', ')}`);
    if ((step.run === undefined) === (step.uses === undefined)) throw new Error(`step ${index + 1} needs exactly one of run and uses`);
    if (step.run !== undefined && step.shell === undefined) throw new Error(`step ${index + 1}: a composite run step needs a shell`);
  });
  return { inputs: document.inputs ?? {}, outputs: document.outputs ?? {}, steps };
}

// ---- expressions ---------------------------------------------------------------------------------

export interface ExpressionContext {
  readonly inputs: Readonly<Record<string, string>>;
  readonly github: Readonly<Record<string, string>>;
  readonly steps: Readonly<Record<string, { readonly outputs: Readonly<Record<string, string>> }>>;
  readonly env: Readonly<Record<string, string>>;
  /** Whether an earlier step failed (for success() and failure()). */
  readonly failed: boolean;
}

type Value = string | boolean | number;

/** Tokens of the expression subset: property paths, string literals, ! && || == != ( ) and status functions. */
function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s*(?:('(?:[^']|'')*')|(&&|\|\||==|!=|!|\(|\))|([A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*))/y;
  let at = 0;
  while (at < expression.length) {
    if (/^\s*$/.test(expression.slice(at))) break;
    pattern.lastIndex = at;
    const match = pattern.exec(expression);
    if (match === null) throw new Error(`unsupported expression syntax at "${expression.slice(at)}" in \${{ ${expression} }}`);
    tokens.push(match[1] ?? match[2] ?? match[3]!);
    at = pattern.lastIndex;
  }
  return tokens;
}

function truthy(value: Value): boolean {
  return value !== '' && value !== false && value !== 0;
}

/** GitHub compares strings ignoring case; other kinds must match exactly. */
function equal(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a !== typeof b) throw new Error(`comparison of ${typeof a} with ${typeof b} is not emulated`);
  return a === b;
}

function lookup(path: string, context: ExpressionContext): string {
  const parts = path.split('.');
  const [root, ...rest] = parts;
  const fail = (why: string): never => {
    throw new Error(`unknown expression \${{ ${path} }}: ${why}`);
  };
  if (root === 'inputs' && rest.length === 1) return context.inputs[rest[0]!] ?? fail('the action declares no such input');
  if (root === 'github' && rest.length === 1) return context.github[rest[0]!] ?? fail('this github context property is not emulated');
  if (root === 'env' && rest.length === 1) return context.env[rest[0]!] ?? fail('no such variable in the env context');
  if (root === 'steps' && rest.length === 3 && rest[1] === 'outputs') {
    const step = context.steps[rest[0]!] ?? fail('no earlier step has this id');
    // An output a step did not set is the empty string on GitHub.
    return step.outputs[rest[2]!] ?? '';
  }
  return fail('only inputs.*, github.action_path, github.workspace, steps.<id>.outputs.* and env.* are emulated');
}

/** Evaluates the supported subset: literals, property paths, status functions, !, ==, !=, &&, || and parentheses. */
export function evaluate(expression: string, context: ExpressionContext): Value {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = () => tokens[position];
  const take = (expected?: string): string => {
    const token = tokens[position++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new Error(`expected ${expected ?? 'a term'} in \${{ ${expression} }}`);
    }
    return token;
  };
  const primary = (): Value => {
    const token = take();
    if (token === '(') {
      const value = or();
      take(')');
      return value;
    }
    if (token === '!') return !truthy(primary());
    if (token.startsWith("'")) return token.slice(1, -1).replaceAll("''", "'");
    if (token === 'true' || token === 'false') return token === 'true';
    if (peek() === '(') {
      take('(');
      take(')');
      if (token === 'success') return !context.failed;
      if (token === 'failure') return context.failed;
      if (token === 'always') return true;
      if (token === 'cancelled') return false;
      throw new Error(`function ${token}() is not emulated in \${{ ${expression} }}`);
    }
    return lookup(token, context);
  };
  const comparison = (): Value => {
    const left = primary();
    const operator = peek();
    if (operator !== '==' && operator !== '!=') return left;
    take();
    const right = primary();
    return operator === '==' ? equal(left, right) : !equal(left, right);
  };
  const and = (): Value => {
    let value = comparison();
    while (peek() === '&&') {
      take();
      const right = comparison();
      value = truthy(value) ? right : value;
    }
    return value;
  };
  const or = (): Value => {
    let value = and();
    while (peek() === '||') {
      take();
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  };
  const value = or();
  if (position !== tokens.length) throw new Error(`unexpected "${tokens[position]}" in \${{ ${expression} }}`);
  return value;
}

function asString(value: Value): string {
  return typeof value === 'string' ? value : String(value);
}

/** A string with every `${{ expr }}` replaced by its value. */
export function substitute(text: string, context: ExpressionContext): string {
  const replaced = text.replace(/\$\{\{(.*?)\}\}/gs, (_match, expression: string) => asString(evaluate(expression.trim(), context)));
  if (replaced.includes('${{')) throw new Error(`an unterminated expression in: ${text}`);
  return replaced;
}

/**
 * A step's `if:` as the runner decides it: without a status function (success(), failure(), always(),
 * cancelled()) the condition is implicitly `success() && (condition)`; the `${{ }}` wrapper is optional.
 */
export function stepCondition(condition: string | boolean | undefined, context: ExpressionContext): boolean {
  if (condition === undefined) return !context.failed;
  if (typeof condition === 'boolean') return condition && !context.failed;
  const trimmed = condition.trim();
  const bare = /^\$\{\{(.*)\}\}$/s.exec(trimmed)?.[1] ?? trimmed;
  if (bare.includes('${{')) throw new Error(`an if: mixing literal text and expressions is not emulated: ${condition}`);
  const expression = /\b(success|failure|always|cancelled)\(\)/.test(bare) ? bare : `success() && (${bare})`;
  return truthy(evaluate(expression, context));
}

// ---- environment files -----------------------------------------------------------------------------

/** `name=value` lines and the multi-line `name<<DELIMITER` … `DELIMITER` form of GITHUB_OUTPUT and GITHUB_ENV. */
export function parseEnvironmentFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    if (line === '') continue;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    const equals = line.indexOf('=');
    if (heredoc !== null && (equals === -1 || equals > line.indexOf('<<'))) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const body: string[] = [];
      index++;
      while (index < lines.length && lines[index] !== delimiter) body.push(lines[index++]!);
      if (index >= lines.length) throw new Error(`environment file: no closing ${delimiter} for ${name}`);
      values.set(name, body.join('\n'));
      continue;
    }
    if (equals <= 0) throw new Error(`environment file: malformed line "${line}"`);
    values.set(line.slice(0, equals), line.slice(equals + 1));
  }
  return values;
}

// ---- running ---------------------------------------------------------------------------------------

export interface StepRun {
  readonly step: ActionStep;
  readonly ran: boolean;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly outputs: Readonly<Record<string, string>>;
  readonly summary: string;
}

export interface ActionRun {
  /** Whether every step that ran succeeded (the action's outcome in the job). */
  readonly succeeded: boolean;
  readonly steps: readonly StepRun[];
  readonly outputs: Readonly<Record<string, string>>;
  /** Everything the steps printed on stdout (where the runner reads workflow commands such as ::error). */
  readonly stdout: string;
  /** The job summary: every step's GITHUB_STEP_SUMMARY, in order. */
  readonly summary: string;
}

export interface RunOptions {
  readonly actionPath: string;
  readonly workspace: string;
  readonly inputs: Readonly<Record<string, string>>;
  /** Emulates a `uses:` step (the runner would download and run that action); throws for actions it does not know. */
  readonly uses: (step: ActionStep, context: ExpressionContext) => void;
  /** Extra environment of the job (e.g. git identity). */
  readonly env?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /**
   * Steps whose effect is already in place from an earlier run of the action on the same action path
   * (the install step: the runner would repeat it in every job); they count as succeeded.
   */
  readonly alreadyDone?: (step: ActionStep) => boolean;
}

/** The shells of composite run steps, as the runner invokes them ({0} is the script file). */
const SHELLS: Readonly<Record<string, { command: string; args: readonly string[]; extension: string }>> = {
  bash: { command: 'bash', args: ['--noprofile', '--norc', '-eo', 'pipefail', '{0}'], extension: '.sh' },
  sh: { command: 'sh', args: ['-e', '{0}'], extension: '.sh' },
};

/** The runner's own environment, without whatever GitHub variables the machine running the tests has. */
function baseEnvironment(extra: Readonly<Record<string, string>>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^(GITHUB_|RUNNER_|INPUT_|ACTIONS_)/.test(name) || name === 'CI') continue;
    // vitest's and npm's own variables would not be on a runner.
    if (/^(VITEST|npm_|NODE_OPTIONS$|TEST$|INIT_CWD$)/.test(name)) continue;
    env[name] = value;
  }
  return { ...env, CI: 'true', GITHUB_ACTIONS: 'true', ...extra };
}

export function runCompositeAction(action: CompositeAction, options: RunOptions): ActionRun {
  const unknownInputs = Object.keys(options.inputs).filter((name) => !(name in action.inputs));
  if (unknownInputs.length > 0) throw new Error(`inputs the action does not declare: ${unknownInputs.join(', ')}`);
  const inputs: Record<string, string> = {};
  for (const [name, input] of Object.entries(action.inputs)) {
    const value = options.inputs[name] ?? input.default ?? '';
    if (input.required === true && value === '') throw new Error(`input ${name} is required`);
    inputs[name] = value;
  }
  const runnerTemp = mkdtempSync(join(tmpdir(), 'kubereach-runner-temp-'));
  const files = join(runnerTemp, '_runner_file_commands');
  mkdirSync(files);
  const github = { action_path: options.actionPath, workspace: options.workspace };
  const jobEnv: Record<string, string> = {
    ...baseEnvironment(options.env ?? {}),
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_ACTION_PATH: options.actionPath,
    RUNNER_TEMP: runnerTemp,
  };
  // The env context holds the job's own variables and those set through GITHUB_ENV, not the machine's.
  const envContext: Record<string, string> = { ...(options.env ?? {}) };
  const addedPath: string[] = [];
  const steps: Record<string, { outputs: Record<string, string> }> = {};
  const runs: StepRun[] = [];
  let failed = false;
  let stdout = '';
  let summary = '';

  action.steps.forEach((step, index) => {
    const context: ExpressionContext = { inputs, github, steps, env: envContext, failed };
    if (!stepCondition(step.if, context)) {
      runs.push({ step, ran: false, status: null, stdout: '', stderr: '', outputs: {}, summary: '' });
      if (step.id !== undefined) steps[step.id] = { outputs: {} };
      return;
    }
    if (options.alreadyDone?.(step) === true) {
      runs.push({ step, ran: false, status: 0, stdout: '', stderr: '', outputs: {}, summary: '' });
      if (step.id !== undefined) steps[step.id] = { outputs: {} };
      return;
    }
    if (step.uses !== undefined) {
      options.uses(step, context);
      runs.push({ step, ran: true, status: 0, stdout: '', stderr: '', outputs: {}, summary: '' });
      if (step.id !== undefined) steps[step.id] = { outputs: {} };
      return;
    }
    const shell = SHELLS[step.shell!];
    if (shell === undefined) throw new Error(`step ${index + 1}: shell ${step.shell} is not emulated`);
    const script = join(runnerTemp, `step-${index + 1}${shell.extension}`);
    writeFileSync(script, substitute(step.run!, context));
    const fileCommands = Object.fromEntries(
      ['GITHUB_OUTPUT', 'GITHUB_ENV', 'GITHUB_PATH', 'GITHUB_STEP_SUMMARY'].map((name) => {
        const file = join(files, `${name.toLowerCase()}_${index + 1}`);
        writeFileSync(file, '');
        return [name, file];
      }),
    ) as Record<'GITHUB_OUTPUT' | 'GITHUB_ENV' | 'GITHUB_PATH' | 'GITHUB_STEP_SUMMARY', string>;
    const stepEnv: Record<string, string> = { ...jobEnv };
    for (const [name, value] of Object.entries(step.env ?? {})) stepEnv[name] = substitute(String(value), context);
    stepEnv['PATH'] = [...addedPath.toReversed(), jobEnv['PATH'] ?? ''].join(delimiter);
    Object.assign(stepEnv, fileCommands);
    const directory = step['working-directory'] === undefined ? options.workspace : substitute(step['working-directory'], context);
    const cwd = isAbsolute(directory) ? directory : join(options.workspace, directory);
    const result = spawnSync(shell.command, shell.args.map((arg) => (arg === '{0}' ? script : arg)), {
      cwd,
      env: stepEnv,
      encoding: 'utf8',
      timeout: options.timeoutMs ?? 600_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error !== undefined) throw result.error;
    const outputs = Object.fromEntries(parseEnvironmentFile(readFileSync(fileCommands.GITHUB_OUTPUT, 'utf8')));
    for (const [name, value] of parseEnvironmentFile(readFileSync(fileCommands.GITHUB_ENV, 'utf8'))) {
      jobEnv[name] = value;
      envContext[name] = value;
    }
    for (const line of readFileSync(fileCommands.GITHUB_PATH, 'utf8').split(/\r?\n/)) if (line !== '') addedPath.push(line);
    const stepSummary = readFileSync(fileCommands.GITHUB_STEP_SUMMARY, 'utf8');
    stdout += result.stdout;
    summary += stepSummary;
    if (result.status !== 0) failed = true;
    if (step.id !== undefined) steps[step.id] = { outputs };
    runs.push({ step, ran: true, status: result.status, stdout: result.stdout, stderr: result.stderr, outputs, summary: stepSummary });
  });

  const finalContext: ExpressionContext = { inputs, github, steps, env: envContext, failed };
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, output]) => [name, substitute(output.value, finalContext)]));
  return { succeeded: !failed, steps: runs, outputs, stdout, summary };
}

/** The `::error file=…,line=…::message` workflow commands in a step's stdout, as the runner turns them into annotations. */
export function annotations(stdout: string): { level: string; properties: Record<string, string>; message: string }[] {
  const found: { level: string; properties: Record<string, string>; message: string }[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (match === null) continue;
    const properties = Object.fromEntries(
      (match[2] ?? '')
        .split(',')
        .filter((pair) => pair !== '')
        .map((pair) => {
          const equals = pair.indexOf('=');
          return [pair.slice(0, equals), decodeURIComponent(pair.slice(equals + 1))];
        }),
    );
    found.push({ level: match[1]!, properties, message: match[3]! });
  }
  return found;
}
