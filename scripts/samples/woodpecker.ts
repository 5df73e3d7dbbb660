/**
 * Woodpecker v3 REST API responses, as the server sends them: Go structs
 * marshalled compactly (field order of server/model), Unix-second timestamps,
 * and log lines whose `data` is the base64 of the line (Go []byte).
 */
import { createHash } from 'node:crypto';
import { goJson } from './json.ts';
import type { LogLine } from './logs.ts';
import { uuidFrom } from './prng.ts';
import type { Span } from './timeline.ts';

export const REPO_ID = 7;
const FORGE = 'https://git.akko-ai.com';

export interface StepSpec {
  name: string;
  type: 'clone' | 'commands';
  span: Span;
  lines: LogLine[];
}

export interface WorkflowSpec {
  name: string;
  span: Span;
  environ: Record<string, string>;
  steps: StepSpec[];
}

export interface PipelineSpec {
  number: number;
  commit: string;
  author: { login: string; email: string };
  message: string;
  commitTime: number;
  created: number;
  changedFiles: string[];
  workflows: WorkflowSpec[];
}

/** Database ids, which grow across the whole estate. */
export interface IdCounters {
  pipeline: number;
  workflow: number;
  step: number;
  logEntry: number;
  agent: number;
}

export interface RenderedPipeline {
  /** GET /api/repos/7/pipelines/<number> */
  detail: string;
  /** GET /api/repos/7/logs/<number>/<step_id>, by step id. */
  logs: Map<number, string>;
}

const avatar = (email: string): string => `${FORGE}/avatars/${createHash('md5').update(email).digest('hex')}`;

/** GET /api/repos/lookup/akko/akko */
export function repoJson(): string {
  return goJson({
    id: REPO_ID,
    forge_id: 1,
    forge_remote_id: '12',
    org_id: 2,
    owner: 'akko',
    name: 'akko',
    full_name: 'akko/akko',
    avatar_url: `${FORGE}/repo-avatars/12-akko`,
    forge_url: `${FORGE}/akko/akko`,
    clone_url: `${FORGE}/akko/akko.git`,
    clone_url_ssh: 'ssh://git@git.akko-ai.com:2222/akko/akko.git',
    default_branch: 'main',
    pr_enabled: true,
    timeout: 90,
    visibility: 'private',
    private: true,
    trusted: { network: false, volumes: true, security: false },
    require_approval: 'forks',
    approval_allowed_users: [],
    active: true,
    allow_pr: true,
    allow_deploy: false,
    config_file: '.woodpecker',
    cancel_previous_pipeline_events: ['push', 'pull_request'],
    netrc_trusted: [],
    config_extension_endpoint: '',
    config_extension_exclusive: false,
    config_extension_netrc: false,
    registry_extension_endpoint: '',
    registry_extension_netrc: false,
    secret_extension_endpoint: '',
    secret_extension_netrc: false,
  });
}

export function renderPipeline(spec: PipelineSpec, ids: IdCounters): RenderedPipeline {
  const pipelineId = ids.pipeline++;
  const logs = new Map<number, string>();
  let pid = 1;
  const workflows = spec.workflows.map((wf) => {
    const workflowPid = pid++;
    const children = wf.steps.map((step) => {
      const stepId = ids.step++;
      logs.set(stepId, logJson(stepId, step.lines, ids));
      return {
        id: stepId,
        uuid: uuidFrom(`step:${spec.number}:${wf.name}:${step.name}`),
        pipeline_id: pipelineId,
        pid: pid++,
        ppid: workflowPid,
        name: step.name,
        state: 'success',
        exit_code: 0,
        started: step.span.start,
        finished: step.span.end,
        type: step.type,
      };
    });
    return {
      id: ids.workflow++,
      pipeline_id: pipelineId,
      pid: workflowPid,
      name: wf.name,
      state: 'success',
      started: wf.span.start,
      finished: wf.span.end,
      agent_id: ids.agent,
      platform: 'linux/amd64',
      environ: wf.environ,
      children,
    };
  });
  const started = Math.min(...spec.workflows.map((w) => w.span.start));
  const finished = Math.max(...spec.workflows.map((w) => w.span.end));
  const detail = goJson({
    id: pipelineId,
    number: spec.number,
    author: spec.author.login,
    parent: 0,
    event: 'push',
    event_reason: [],
    status: 'success',
    errors: null,
    created: spec.created,
    updated: finished,
    started,
    finished,
    deploy_to: '',
    deploy_task: '',
    commit: spec.commit,
    branch: 'main',
    rerun_count: 0,
    ref: 'refs/heads/main',
    refspec: '',
    author_avatar: avatar(spec.author.email),
    forge_url: `${FORGE}/akko/akko/commit/${spec.commit}`,
    reviewed_by: '',
    reviewed: 0,
    workflows,
    changed_files: spec.changedFiles,
    version: '3.17.0',
    title: '',
    message: spec.message,
    timestamp: spec.commitTime,
    sender: spec.author.login,
    author_email: spec.author.email,
  });
  return { detail, logs };
}

function logJson(stepId: number, lines: LogLine[], ids: IdCounters): string {
  return goJson(
    lines.map((line, index) => ({
      id: ids.logEntry++,
      step_id: stepId,
      time: line.time,
      line: index,
      data: Buffer.from(line.text).toString('base64'),
      type: 0,
    })),
  );
}
