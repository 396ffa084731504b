/**
 * Every command: its one-line summary, its help text, and a loader. The loaders are dynamic imports so that
 * `riflow --help` (and a typo) never evaluates the emulator, the interpreter or the YAML parser.
 */
import type { Terminal } from './terminal';

export type CommandRunner = (argv: string[], terminal: Terminal) => Promise<number>;

export interface CommandEntry {
  name: string;
  summary: string;
  help: string;
  load: () => Promise<CommandRunner>;
}

const DEFAULT_WORKFLOW = 'workflows/connect-and-modify-spec.yaml';

const COMMON_FLAGS = `  --debug           show stack traces of unexpected errors
  --no-color        no colours (also NO_COLOR=1)
  -h, --help        this help`;

export const COMMANDS: CommandEntry[] = [
  {
    name: 'run',
    summary: 'Run a workflow locally (against the embedded emulator unless --endpoint is given)',
    help: `Usage: riflow run [WORKFLOW] [flags]

Runs a CloudFlow workflow on this machine: each FC task calls its handler in-process, and the handlers call the
VPC API at --endpoint (or RIFLOW_VPC_ENDPOINT). With neither, an emulator starts in-process with the demo seed.
WORKFLOW defaults to ${DEFAULT_WORKFLOW}. History goes to .riflow/executions/<name>.ndjson.

Flags:
  --input JSON|@FILE  execution input, inline or from a file
  --demo            use the demo input (the demo seed's initiator, a new spec) when --input is absent
  --name NAME       execution name (default <flow-name>-<timestamp>)
  --endpoint URL    VPC API endpoint (credentials from ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET)
  --region R        regionId to use when the input has none
  --fast            instant status transitions and a virtual clock (waits take no time)
  --faults FILE     fault rules for the embedded emulator (JSON array, see riflow emulator --help)
  --json            NDJSON on stdout (the default when stdout is not a terminal)
  --remote-functions  tasks call the functions s.yaml deployed, through Function Compute's API (@alicloud/fc2),
                    instead of the local handlers; those functions use their own VPC endpoint
  --fc-endpoint URL FC endpoint for --remote-functions (default RIFLOW_FC_ENDPOINT, else
                    https://<account>.<region>.fc.aliyuncs.com)
  --account-id ID   account for --remote-functions (default ALIBABA_CLOUD_ACCOUNT_ID; the emulator's own account
                    when the endpoint is a riflow emulator); --region is then the FC region too
  --policy FILE     the policy file in force (default RIFLOW_POLICY, else riflow.policy.json in this folder or
                    above; see riflow parity --show-policy)
${COMMON_FLAGS}

Output: on a terminal, a live view of states, statuses and retries, then a summary. Otherwise NDJSON: a first
line {"v":1,"type":"riflow.stream","schema":1,...}, one line per history event, a last line {"v":1,"type":"result",...}.

Exit codes: 0 succeeded, 1 invalid usage/definition/input, 2 the execution failed or timed out,
3 an internal error, 130 stopped with Ctrl-C (the history records the state it stopped in).

Examples:
  riflow run --demo
  riflow run --demo --fast --json
  riflow run workflows/modify-spec.yaml --input '{"regionId":"cn-hangzhou","routerInterfaceId":"ri-…","spec":"Large.1"}'
  riflow run workflows/batch-modify-spec.yaml --input @changes.json --endpoint http://127.0.0.1:8787
  riflow run --demo --remote-functions --account-id 1234567890123456 --region cn-hangzhou
  riflow run --demo --fast --remote-functions --fc-endpoint http://127.0.0.1:8787   # functions served by riflow emulator`,
    load: async () => (await import('./commands/run')).runCommand,
  },
  {
    name: 'validate',
    summary: 'Check workflow files (and their names and functions against s.yaml)',
    help: `Usage: riflow validate WORKFLOW...

Loads each workflow and reports every problem as file:line:column, the state and the field. When an s.yaml sits
next to the workflows' folder, also checks that Name is a flow deployed there and that every function ARN names
one of its functions.

Flags:
${COMMON_FLAGS}

Exit codes: 0 all valid, 1 any problem.

Examples:
  riflow validate workflows/*.yaml`,
    load: async () => (await import('./commands/validate')).validateCommand,
  },
  {
    name: 'plan',
    summary: 'Show what connect-and-modify-spec (or a batch) would do (reads only)',
    help: `Usage: riflow plan --router-interface-id ID --spec SPEC [flags]
       riflow plan --input JSON|@FILE [flags]

Reads with DescribeRouterInterfaces only (no writes) and prints what a run would do. For one interface: what a
connect-and-modify-spec run would do, which actions run, which are skipped, what would block it. With --input, a
batch: the input of riflow-fleet-modify-spec ({regionId, spec, select | routerInterfaceIds}; a selector is resolved
as the run resolves it) or of riflow-batch-modify-spec ({changes}): per interface, what would change, what is
already at the spec, what would be refused (not found, an acceptor, a locked account, a spec or status the
interface cannot take), and what the run costs against the VPC API's quotas.

Flags:
  --router-interface-id ID   the initiating interface (ri-…)
  --spec SPEC       the target spec (Mini.2 … Xlarge.1)
  --input JSON|@FILE  a batch's input instead of one interface
  --region R        region (default cn-hangzhou)
  --endpoint URL    VPC API endpoint (default RIFLOW_VPC_ENDPOINT, else an embedded emulator with the demo seed)
  --json            one JSON object instead of text
${COMMON_FLAGS}

Exit codes (as terraform plan -detailed-exitcode): 0 nothing to do, 2 changes, 1 error or blocked (a batch: any
interface a run would refuse).

Examples:
  riflow plan --router-interface-id ri-bp1d2v6ebu8tl7ohx4kmq --spec Middle.1
  riflow plan --router-interface-id ri-… --spec Large.1 --endpoint http://127.0.0.1:8787 --json
  riflow plan --input '{"regionId":"cn-hangzhou","spec":"Small.1","select":{"tag":{"key":"riflow-fleet","value":"office-links"}}}'`,
    load: async () => (await import('./commands/plan')).planCommand,
  },
  {
    name: 'invoke',
    summary: 'Call one FC handler in-process (or the deployed function, --remote) and print its result',
    help: `Usage: riflow invoke FUNCTION [--event JSON|@FILE] [--endpoint URL]
       riflow invoke FUNCTION --remote [--event JSON|@FILE] [--endpoint URL] [--account-id ID] [--region R]

FUNCTION is an s.yaml function name (riflow-describe) or its short name (describe). The handler is loaded from
dist/functions/<name> (run npm run build first) and calls the VPC API at --endpoint, RIFLOW_VPC_ENDPOINT, or an
embedded emulator with the demo seed.

With --remote, the function s.yaml deployed is called through Function Compute's API (@alicloud/fc2): FC 3.0's
invocation path (/2023-03-30/functions/NAME/invocations), or FC 2.0's with --service. A function error (FC answers
HTTP 200 with x-fc-error-type) is printed as its error name and exits 2. riflow emulator serves both paths with
the local handlers, so --remote --endpoint http://127.0.0.1:PORT is a local "s invoke" without Docker.

Flags:
  --event JSON|@FILE  the event (default {})
  --endpoint URL    VPC API endpoint; with --remote, the FC endpoint (default RIFLOW_FC_ENDPOINT, else
                    https://<account>.<region>.fc.aliyuncs.com)
  --remote          call the deployed function through FC's API
  --account-id ID   with --remote: the account (default ALIBABA_CLOUD_ACCOUNT_ID; the emulator's own account
                    when the endpoint is a riflow emulator)
  --region R        with --remote: the FC region (default RIFLOW_REGION, else cn-hangzhou)
  --service NAME    with --remote: an FC 2.0 service function (2016-08-15 path)
  --qualifier Q     with --remote: a version or alias
  --policy FILE     the policy file for the local handlers (default RIFLOW_POLICY, else riflow.policy.json in
                    this folder or above; see riflow parity --show-policy)
${COMMON_FLAGS}

Credentials: ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (and _SECURITY_TOKEN); a riflow emulator's own keys are used
automatically when none are set.

Exit codes: 0 the result is printed, 2 the function threw (its error name is printed), 1 unknown function,
unreadable event, or (--remote) an FC API error such as FC.FunctionNotFound.

Examples:
  riflow invoke describe --event '{"regionId":"cn-hangzhou","routerInterfaceId":"ri-bp1d2v6ebu8tl7ohx4kmq"}'
  riflow invoke describe --remote --account-id 1234567890123456 --event @event.json
  riflow invoke describe --remote --endpoint http://127.0.0.1:8787 --event @event.json   # riflow emulator`,
    load: async () => (await import('./commands/invoke')).invokeCommand,
  },
  {
    name: 'emulator',
    summary: 'Serve the local VPC API emulator until Ctrl-C',
    help: `Usage: riflow emulator [--port N] [--seed FILE] [--state-file FILE] [--faults FILE] [--fast] [--policy FILE]

Serves the VPC RPC API at / and a control API at /_emulator/ (health, state, seed, reset, calls, faults, config).
With an s.yaml in this folder or above, the same endpoint also serves CloudFlow's execution API for its flows
(riflow start --endpoint) and Function Compute's invocation API for its functions (riflow invoke --remote,
run --remote-functions), running the local handler bundles. Prints the URL and the emulator's local access keys;
stops cleanly on Ctrl-C or SIGTERM.

Flags:
  --port N          port on 127.0.0.1 (default: a free one)
  --seed FILE       seed document (JSON); default the demo seed
  --state-file FILE keep the state in this file across restarts
  --faults FILE     fault rules (JSON array of {action, calls|probability, error|latencyMs|drop|body|afterApply})
  --fast            instant status transitions
  --policy FILE     the policy file in force (default RIFLOW_POLICY, else riflow.policy.json in this folder or
                    above; see riflow parity --show-policy)
${COMMON_FLAGS}

Examples:
  riflow emulator --port 8787
  riflow emulator --faults faults.json    # e.g. [{"action":"ModifyRouterInterfaceSpec","calls":"0","error":{"code":"IncorrectStatus","status":400}}]`,
    load: async () => (await import('./commands/emulator')).emulatorCommand,
  },
  {
    name: 'console',
    summary: 'Serve the emulator and a web console (graphs, runs live, interfaces, faults) until Ctrl-C',
    help: `Usage: riflow console [--port N] [--fast] [--faults FILE] [--policy FILE]

Serves, on one port of 127.0.0.1, the emulator (VPC API, control API, the local CloudFlow API for the flows in
s.yaml, Function Compute's invocation paths) and a web console under /_console/: each workflow drawn as a graph,
an input editor prefilled from the demo seed (checked before anything is sent), executions followed live on the
graph with each state's input, output, retries and error, Stop, past executions (the CloudFlow API's and
.riflow/executions') replayable on the graph, the router interfaces updating live, and the fault rules.

Prints the console's URL with a random token, as Jupyter does: only that URL opens it (the token then lives in a
cookie for this port). Requests must name 127.0.0.1:PORT or localhost:PORT as their Host, and a page of another
site cannot call it. The emulator's signed APIs work on the same port for riflow start --endpoint and the SDKs.

Flags:
  --port N          port on 127.0.0.1 (default: a free one)
  --fast            instant status transitions and a virtual clock (waits take no time)
  --faults FILE     initial fault rules (JSON array, see riflow emulator --help); editable in the page
  --policy FILE     the policy file in force (default RIFLOW_POLICY, else riflow.policy.json in this folder or
                    above; see riflow parity --show-policy)
${COMMON_FLAGS}

Handler log lines go to .riflow/console.functions.log (to stderr with --debug).

Examples:
  riflow console
  riflow console --port 8788 --fast
  npm run console`,
    load: async () => (await import('./commands/console')).consoleCommand,
  },
  {
    name: 'history',
    summary: 'List past local executions, or replay one',
    help: `Usage: riflow history [NAME] [--json]

Without NAME, lists the executions under .riflow/executions (name, workflow, status, start, duration). With NAME,
replays its events in the live view (or as NDJSON with --json).

Flags:
  --json            NDJSON
${COMMON_FLAGS}

Examples:
  riflow history
  riflow history riflow-connect-and-modify-spec-20260101T120000123Z --json`,
    load: async () => (await import('./commands/history')).historyCommand,
  },
  {
    name: 'graph',
    summary: 'Draw a workflow as Mermaid or Graphviz, optionally with a run highlighted',
    help: `Usage: riflow graph WORKFLOW [--format mermaid|dot] [--execution NAME]

Choice branches are labelled with their conditions, Catch edges are dashed and labelled with the error names,
Parallel and Map states are subgraphs. With --execution, the path that run took is highlighted, retries are
counted and failures marked.

Flags:
  --format F        mermaid (default) or dot
  --execution NAME  a run under .riflow/executions
${COMMON_FLAGS}

Examples:
  riflow graph workflows/connect-and-modify-spec.yaml > flow.mmd
  riflow graph workflows/connect-and-modify-spec.yaml --format dot --execution NAME | dot -Tsvg > run.svg`,
    load: async () => (await import('./commands/graph')).graphCommand,
  },
  {
    name: 'start',
    summary: 'Start an execution on CloudFlow (or the emulator\'s CloudFlow API) and optionally follow it',
    help: `Usage: riflow start FLOW [--input JSON|@FILE] [--name NAME] [--wait] [--endpoint URL] [--region R] [--json]

Starts an execution through CloudFlow's API (StartExecution) and prints its name and status. FLOW is a flow name
(riflow-modify-spec) or a workflow file (its Name is used). With --wait, follows it with the same live view as
riflow run (or NDJSON), reading GetExecutionHistory and DescribeExecution at most twice a second in all
(CloudFlow allows 5 such calls per second per account), until it ends.

Ctrl-C stops following, not the execution: it keeps running on CloudFlow, and riflow prints how to follow it
again and how to stop it. \`riflow start FLOW --name NAME --wait\` with the name of an existing execution starts
nothing and follows that one (CloudFlow returns a running execution for its name; one that has ended is replayed).

Flags:
  --input JSON|@FILE  execution input (default {})
  --name NAME       execution name (default <flow>-<timestamp>)
  --wait            follow the execution until it ends
  --endpoint URL    CloudFlow endpoint (default RIFLOW_FLOW_ENDPOINT, else https://<region>.fnf.aliyuncs.com;
                    riflow emulator serves the API for the flows in s.yaml)
  --region R        region of the default endpoint (default RIFLOW_REGION, else cn-hangzhou); also the
                    input's regionId when it has none
  --json            NDJSON on stdout (the default when stdout is not a terminal)
${COMMON_FLAGS}

Credentials: ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET (and _SECURITY_TOKEN), never printed; a riflow emulator's own
keys are used automatically when none are set.

Exit codes: 0 started (with --wait: Succeeded), 1 invalid usage or StartExecution refused, 2 the execution
failed, timed out or was stopped, 130 stopped following with Ctrl-C.

Examples:
  riflow start riflow-modify-spec --input '{"regionId":"cn-hangzhou","routerInterfaceId":"ri-…","spec":"Large.1"}'
  riflow start workflows/connect-and-modify-spec.yaml --input @input.json --wait
  riflow start riflow-modify-spec --input @input.json --wait --endpoint http://127.0.0.1:8787 --json`,
    load: async () => (await import('./commands/start')).startCommand,
  },
  {
    name: 'parity',
    summary: 'Compare the twin with snapshots of the real cloud; record them (--record) and apply them (--apply)',
    help: `Usage: riflow parity [--case ID]... [--snapshots DIR] [--policy FILE] [--json]
       riflow parity --record [--test-pair ri-…] [--region R] [--account-id ID] [--case ID]...
       riflow parity --apply [--policy FILE]
       riflow parity --show-policy [--policy FILE]

Every behaviour the public docs leave open is a parity case: a small probe (functions and flows in parity/, a
read-only VPC call) run the same way on the cloud and on the twin. Without a mode flag, each case runs on the twin
(the emulator and the interpreter, with the policy in force) and is compared with parity/snapshots/<case>.json;
each difference names the field and the setting that would make them agree. A case with no snapshot is
unconfirmed, never passed.

--record deploys parity/s.yaml with Serverless Devs (functions and flows named riflow-parity-*), runs every case
on your account, writes the snapshots (ids, times, request ids and the account masked) and removes what it
deployed, even after a failure. It never touches a router interface, but for the wrong-status case on the test
pair you name (--test-pair: an interface that is Active or Idle; the probe calls ActivateRouterInterface, which
its status refuses). --apply writes the settings the snapshots imply into the policy file, which riflow run,
emulator, console and parity read.

Flags:
  --record          record the snapshots on your account (ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET,
                    ALIBABA_CLOUD_ACCOUNT_ID, RIFLOW_REGION; see README "Checking riflow against your account")
  --apply           write the snapshots' settings into the policy file (--policy, RIFLOW_POLICY, else
                    riflow.policy.json at the project root); the file is replaced, not merged
  --show-policy     print every setting, its value in force and where it comes from
  --case ID         only this case (repeatable)
  --snapshots DIR   snapshot folder (default parity/snapshots)
  --policy FILE     the policy file in force (default RIFLOW_POLICY, else riflow.policy.json in this folder or
                    above)
  --test-pair ID    with --record: the interface the wrong-status case may call a refused action on
  --region R        with --record: the region (default RIFLOW_REGION, else cn-hangzhou)
  --account-id ID   with --record: the account (default ALIBABA_CLOUD_ACCOUNT_ID)
  --json            one JSON object per line
${COMMON_FLAGS}

Exit codes: 0 every case with a snapshot agrees (--record: every case recorded or skipped; --apply: written),
1 invalid usage, a corrupt snapshot or policy file, or snapshots that disagree, 2 a difference (--record: a case,
the deploy or the removal failed).

Examples:
  npm run parity                      # the twin against the committed snapshots
  riflow parity --case flow.retry --json
  ALIBABA_CLOUD_ACCOUNT_ID=… RIFLOW_REGION=cn-hangzhou riflow parity --record --test-pair ri-…
  riflow parity --apply && riflow parity`,
    load: async () => (await import('./commands/parity')).parityCommand,
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((command) => command.name === name);
}

export function mainHelp(version: string): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return `riflow ${version} — run Alibaba Cloud VPC router-interface workflows locally and plan changes

Usage: riflow <command> [flags]

Commands:
${lines.join('\n')}

Global flags:
  -h, --help        help (also: riflow <command> --help)
  -V, --version     print the version
  --debug           show stack traces of unexpected errors
  --no-color        no colours (also NO_COLOR=1)

Exit codes (every command): 0 succeeded, 1 invalid usage, definition or input, 2 the execution failed or timed
out (plan: 2 = changes), 3 an internal error in riflow (run again with --debug to see where), 130 Ctrl-C.

Examples:
  npm start                       # the demo: riflow run ${DEFAULT_WORKFLOW} --demo
  riflow run --demo --fast        # the same, with instant transitions
  riflow validate workflows/*.yaml
  riflow plan --router-interface-id ri-bp1d2v6ebu8tl7ohx4kmq --spec Middle.1
`;
}
