/**
 * The architecture picture, derived from the synthesized Terraform JSON so that it cannot drift from the code
 * (`npm run docs` writes docs/architecture.md; test/architecture.test.ts fails when the committed file is stale).
 *
 * What is drawn and how it is found:
 * - **Stacks and their order** from the cdktf manifest (`stack.dependencies`).
 * - **Main resources** (`MAIN` below: buckets, instance and volume, cluster and pools, SQL, Redis, DNS records,
 *   alarms, topics, alert policies…). Everything else (versioning, encryption, keys, IAM plumbing, network) is
 *   folded into the main resources that reference it and counted, not drawn.
 * - **Edges** from the JSON: a main resource that references another, directly or through resources that are not
 *   drawn (`${aws_sns_topic.alerts.arn}` in an alarm's actions); data sources and IAM policy ARNs resolved across
 *   stacks by name (the DNS record's address lookup finds the GKE stack's address); and `RELATIONS`, a table of
 *   what a resource type means (a replication configuration copies its bucket to its destination, a subscription
 *   sends a topic to an endpoint, an IAM policy lets its holder write a bucket).
 * Output is sorted everywhere: the same code gives the same file, byte for byte.
 */
import { App } from "cdktf";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ENV_NAMES, type EnvName, type EnvironmentConfig } from "../../config";
import { LAYERS, LAYER_CLOUDS, stackName, type Layer } from "../../config/naming";
import { buildApp } from "../../stacks/app";
import { roomsDiagram } from "./rooms";
import type { DeployTarget } from "../../stacks/target";

export interface SynthesizedStack {
  readonly name: string;
  readonly env: EnvName;
  readonly layer: Layer;
  readonly dependencies: readonly string[];
  readonly json: any;
}

/** The target main.ts builds when nothing is set: real AWS with remote state. */
const DEFAULT_TARGET: DeployTarget = { kind: "aws", remoteState: true };

/**
 * Builds the app as main.ts does and reads each stack's synthesized JSON. The output goes to a temporary
 * directory, removed afterwards: cdktf.out is left as it was. Validations (the policy pack, deploy guards) are
 * skipped: they change nothing in the JSON, `npm run synth` and the tests run them, and the picture must be
 * drawable from a configuration that is not deployable yet.
 */
export function synthesizeStacks(environments: Record<EnvName, EnvironmentConfig>): SynthesizedStack[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "packagecloud-docs-"));
  try {
    const app = new App({ outdir, stackTraces: false, skipValidation: true });
    buildApp(app, { environments, target: DEFAULT_TARGET });
    app.synth();
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8"));
    const stacks: SynthesizedStack[] = [];
    for (const env of ENV_NAMES) {
      if (!(env in environments)) continue;
      for (const layer of LAYERS) {
        const entry = manifest.stacks[stackName(env, layer)];
        if (entry === undefined) continue;
        const json = JSON.parse(fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), "utf8"));
        stacks.push({ name: entry.name, env, layer, dependencies: [...entry.dependencies].sort(), json });
      }
    }
    return stacks;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** A resource or data source of one stack. */
interface Element {
  readonly key: string;
  readonly stack: SynthesizedStack;
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly isData: boolean;
  readonly body: any;
}

interface MainKind {
  /** What the picture calls it. */
  readonly label: string;
  /** Only some resources of the type are main ones. */
  readonly when?: (body: any, graph: Graph, element: Element) => boolean;
  /** Resources of this type in one stack with the same connections are drawn as one node. */
  readonly groupable?: boolean;
  readonly shape?: "round" | "cylinder" | "hexagon";
}

/** The resource types worth a node. Everything else is folded into these or counted. */
const MAIN: Record<string, MainKind> = {
  aws_s3_bucket: { label: "S3 bucket", shape: "cylinder" },
  aws_instance: { label: "EC2 instance" },
  aws_ebs_volume: { label: "EBS data volume", shape: "cylinder" },
  aws_eip: { label: "Elastic IP", shape: "round" },
  aws_backup_plan: { label: "AWS Backup plan", shape: "hexagon" },
  aws_backup_vault: { label: "AWS Backup vault", shape: "cylinder" },
  aws_sns_topic: { label: "SNS topic", shape: "hexagon" },
  aws_cloudwatch_metric_alarm: { label: "CloudWatch alarm", groupable: true },
  aws_iam_user: { label: "IAM user" },
  // A role used by something in the stacks is drawn as that thing (the instance, the replication); one that
  // nothing uses is assumed from outside (a backup job) and gets a node of its own.
  aws_iam_role: { label: "IAM role", when: (_body, graph, element) => !graph.isUsed(element) },
  google_container_cluster: { label: "GKE cluster" },
  google_container_node_pool: { label: "GKE node pool", groupable: true },
  google_sql_database_instance: { label: "Cloud SQL", shape: "cylinder" },
  google_redis_instance: { label: "Memorystore Redis", shape: "cylinder" },
  google_compute_global_address: { label: "global address", shape: "round", when: (body) => body.purpose === undefined },
  google_monitoring_alert_policy: { label: "Cloud Monitoring alert", groupable: true },
  google_dns_record_set: { label: "Cloud DNS record", shape: "round" },
  cloudflare_dns_record: { label: "Cloudflare DNS record", shape: "round" },
};

const DNS_RECORD_TYPES = ["google_dns_record_set", "cloudflare_dns_record"];

/** Labels of the edges found by reference, by `from>to` type. */
const REFERENCE_LABELS: Record<string, string> = {
  "aws_eip>aws_instance": "",
  "aws_instance>aws_ebs_volume": "mounts",
  "aws_cloudwatch_metric_alarm>aws_s3_bucket": "watches",
  "aws_cloudwatch_metric_alarm>aws_sns_topic": "notifies",
  "google_monitoring_alert_policy>google_sql_database_instance": "watches backups",
  "google_container_node_pool>google_container_cluster": "runs on",
};

interface ExternalNode {
  readonly id: string;
  readonly label: string;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly dotted?: boolean;
}

/** A Terraform expression, and the `type.name` / `data.type.name` addresses inside it (variables resolve to nothing). */
const EXPRESSION = /\$\{([^}]*)\}/g;
const ADDRESS = /(?<![\w.])(data\.)?([a-z][a-z0-9_]*)\.([a-z0-9_]+)/g;
const POLICY_ARN = /^arn:aws:iam::\d{12}:policy\/(.+)$/;

/** The resources of one environment's stacks and what references what. */
class Graph {
  readonly elements = new Map<string, Element>();
  private readonly referencedBy = new Map<string, Set<string>>();

  constructor(readonly stacks: readonly SynthesizedStack[]) {
    for (const stack of stacks) {
      for (const isData of [false, true]) {
        for (const [type, byName] of Object.entries<any>((isData ? stack.json.data : stack.json.resource) ?? {})) {
          for (const [name, body] of Object.entries<any>(byName)) {
            const address = `${isData ? "data." : ""}${type}.${name}`;
            const key = `${stack.name}:${address}`;
            this.elements.set(key, { key, stack, address, type, name, isData, body });
          }
        }
      }
    }
    for (const element of this.sorted()) {
      for (const target of this.refs(element, element.body)) {
        if (!this.referencedBy.has(target.key)) this.referencedBy.set(target.key, new Set());
        this.referencedBy.get(target.key)!.add(element.key);
      }
    }
  }

  sorted(): Element[] {
    return [...this.elements.values()].sort((a, b) => compare(a.key, b.key));
  }

  isMain(element: Element): boolean {
    const kind = MAIN[element.type];
    return !element.isData && kind !== undefined && (kind.when?.(element.body, this, element) ?? true);
  }

  /** Referenced by something other than its own attachments and policies. */
  isUsed(element: Element): boolean {
    const users = [...(this.referencedBy.get(element.key) ?? [])].map((k) => this.elements.get(k)!);
    return users.some((u) => !/^aws_iam_(role_policy|role_policy_attachment)$/.test(u.type));
  }

  /** The elements `value` references: `${type.name…}` expressions, depends_on, and names across stacks. */
  refs(from: Element, value: unknown): Element[] {
    const found = new Map<string, Element>();
    const add = (element: Element | undefined) => {
      if (element === undefined) return;
      const resolved = element.isData ? (this.lookup(element) ?? element) : element;
      if (resolved.key !== from.key) found.set(resolved.key, resolved);
    };
    const visit = (v: unknown, key: string | undefined): void => {
      if (key === "//") return;
      if (typeof v === "string") {
        for (const [, expression] of v.matchAll(EXPRESSION)) {
          for (const m of expression!.matchAll(ADDRESS)) add(this.elements.get(`${from.stack.name}:${m[1] ?? ""}${m[2]}.${m[3]}`));
        }
        if (key === "depends_on") add(this.elements.get(`${from.stack.name}:${v}`));
        const arn = POLICY_ARN.exec(v);
        if (arn) add(this.byIdentity("aws_iam_policy", arn[1]!));
      } else if (Array.isArray(v)) {
        for (const item of v) visit(item, key);
      } else if (v !== null && typeof v === "object") {
        for (const [k, item] of Object.entries(v)) visit(item, k);
      }
    };
    visit(value, undefined);
    return [...found.values()].sort((a, b) => compare(a.key, b.key));
  }

  /** The resource a data source finds: same type, one of its literal strings is the resource's name or Name tag. */
  private lookup(data: Element): Element | undefined {
    const values = new Set(strings(data.body));
    return this.sorted().find((e) => !e.isData && e.type === data.type && identities(e.body).some((id) => values.has(id)));
  }

  private byIdentity(type: string, identity: string): Element | undefined {
    return this.sorted().find((e) => !e.isData && e.type === type && identities(e.body).includes(identity));
  }

  /** Main elements reachable from `element` through elements that are not drawn (itself, if it is main). */
  reach(element: Element, seen = new Set<string>()): Element[] {
    if (this.isMain(element)) return [element];
    if (seen.has(element.key)) return [];
    seen.add(element.key);
    return unique(this.refs(element, element.body).flatMap((r) => this.reach(r, seen)));
  }

  /** Main elements that the attribute `value` of `from` leads to. */
  reachFrom(from: Element, value: unknown): Element[] {
    return unique(this.refs(from, value).flatMap((r) => this.reach(r)));
  }

  ofType(type: string, stack?: SynthesizedStack): Element[] {
    return this.sorted().filter((e) => !e.isData && e.type === type && (stack === undefined || e.stack === stack));
  }

  referrers(element: Element, type: string): Element[] {
    return [...(this.referencedBy.get(element.key) ?? [])]
      .map((k) => this.elements.get(k)!)
      .filter((e) => e.type === type)
      .sort((a, b) => compare(a.key, b.key));
  }
}

/** What a resource type means, beyond its references. Each returns the edges it implies. */
type Relation = (element: Element, graph: Graph, out: Diagram) => void;

const RELATIONS: Record<string, Relation> = {
  // The Elastic IP is associated with a network interface the instance boots on (issue 10: public before boot).
  aws_eip: (e, g, out) => {
    for (const eni of g.refs(e, e.body.network_interface).filter((r) => r.type === "aws_network_interface")) {
      for (const instance of g.referrers(eni, "aws_instance")) out.edge(e, instance, "");
    }
  },
  aws_s3_bucket_replication_configuration: (e, g, out) => {
    const deletes = asArray(e.body.rule).some((r: any) => r.delete_marker_replication?.status === "Enabled");
    for (const from of g.reachFrom(e, e.body.bucket)) {
      for (const rule of asArray(e.body.rule)) {
        for (const to of g.reachFrom(e, rule.destination?.bucket)) out.edge(from, to, deletes ? "replicates" : "replicates, not deletes");
      }
    }
  },
  aws_s3_bucket_logging: (e, g, out) => {
    for (const from of g.reachFrom(e, e.body.bucket)) for (const to of g.reachFrom(e, e.body.target_bucket)) out.edge(from, to, "access logs", true);
  },
  aws_backup_selection: (e, g, out) => {
    for (const from of g.reachFrom(e, e.body.resources)) for (const to of g.reachFrom(e, e.body.plan_id)) out.edge(from, to, "snapshots");
  },
  aws_backup_plan: (e, g, out) => {
    for (const rule of asArray(e.body.rule)) {
      for (const vault of g.reachFrom(e, rule.target_vault_name)) {
        out.edge(e, vault, "daily");
        for (const copy of asArray(rule.copy_action)) for (const to of g.reachFrom(e, copy.destination_vault_arn)) out.edge(vault, to, "copy");
      }
    }
  },
  aws_sns_topic_subscription: (e, g, out) => {
    const endpoint = String(e.body.endpoint);
    const variable = /^\$\{var\.([a-z0-9_]+)\}$/.exec(endpoint);
    const label = variable ? `${e.body.protocol.toUpperCase()} endpoint<br/>var.${variable[1]}` : `${e.body.protocol}<br/>${endpoint}`;
    const target = out.external(`${e.body.protocol}_${variable?.[1] ?? endpoint}`, label);
    for (const topic of g.reachFrom(e, e.body.topic_arn)) out.edge(topic, target, e.body.protocol === "https" ? "pages" : "mails");
  },
  google_monitoring_alert_policy: (e, _g, out) => {
    const channels = asArray(e.body.notification_channels);
    if (channels.length > 0) out.edge(e, out.external("gcp_channels", "Cloud Monitoring<br/>notification channels"), "notifies");
  },
  google_compute_global_address: (e, g, out) => {
    // The application's Helm chart owns the GCE Ingress that takes this address by name (docs/gke-and-dns.md, "Ingress contract").
    if (e.body.purpose !== undefined) return;
    for (const cluster of g.ofType("google_container_cluster", e.stack)) out.edge(e, cluster, "GCE Ingress (Helm chart)", true);
  },
  // Cloud SQL and Memorystore have private addresses on the cluster's network only.
  google_sql_database_instance: (e, g, out) => privateNetwork(e, g, out, e.body.settings?.ip_configuration?.private_network),
  google_redis_instance: (e, g, out) => privateNetwork(e, g, out, e.body.authorized_network),
  aws_iam_user: (e, g, out) => grants(e, iamUserPolicies(e, g), g, out),
  aws_iam_role: (e, g, out) => {
    if (g.isMain(e)) grants(e, iamRolePolicies(e, g), g, out);
  },
  // An instance holds its role's rights through the instance profile.
  aws_instance: (e, g, out) => grants(e, instanceRoles(e, g).flatMap((role) => iamRolePolicies(role, g)), g, out),
};

function privateNetwork(e: Element, g: Graph, out: Diagram, network: unknown): void {
  const networks = new Set(g.refs(e, network).map((n) => n.key));
  for (const cluster of g.ofType("google_container_cluster", e.stack)) {
    if (g.refs(cluster, cluster.body.network).some((n) => networks.has(n.key))) out.edge(cluster, e, "private IP");
  }
}

function instanceRoles(instance: Element, g: Graph): Element[] {
  return g.refs(instance, instance.body.iam_instance_profile).flatMap((profile) => g.refs(profile, profile.body.role));
}

/** Policy documents (JSON strings) that apply to a user: through its groups and its own attachments. */
function iamUserPolicies(user: Element, g: Graph): Element[] {
  const groups = g.referrers(user, "aws_iam_user_group_membership").flatMap((m) => g.refs(m, m.body.groups));
  return unique([
    ...groups.flatMap((group) => g.referrers(group, "aws_iam_group_policy_attachment").flatMap((a) => g.refs(a, a.body.policy_arn))),
    ...g.referrers(user, "aws_iam_user_policy_attachment").flatMap((a) => g.refs(a, a.body.policy_arn)),
  ]);
}

function iamRolePolicies(role: Element, g: Graph): Element[] {
  return unique([
    ...g.referrers(role, "aws_iam_role_policy_attachment").flatMap((a) => g.refs(a, a.body.policy_arn)),
    ...g.referrers(role, "aws_iam_role_policy"),
  ]);
}

/** Edges from a principal to the buckets its policies allow, labelled by what they allow. */
function grants(principal: Element, policies: Element[], g: Graph, out: Diagram): void {
  const allowed = new Map<string, { target: Element; actions: Set<string> }>();
  let cloudfront = false;
  for (const policy of policies) {
    let document: any;
    try {
      document = JSON.parse(policy.body.policy);
    } catch {
      continue;
    }
    for (const statement of asArray(document.Statement)) {
      if (statement.Effect !== "Allow") continue;
      const actions = asArray(statement.Action).map(String);
      if (actions.some((a) => a.startsWith("cloudfront:"))) cloudfront = true;
      for (const target of g.reachFrom(policy, statement.Resource)) {
        if (target.type !== "aws_s3_bucket") continue;
        if (!allowed.has(target.key)) allowed.set(target.key, { target, actions: new Set() });
        for (const action of actions) allowed.get(target.key)!.actions.add(action);
      }
    }
  }
  const cdn = cloudfront ? out.external("cloudfront", "CloudFront<br/>(created by packagecloud)") : undefined;
  if (cdn) out.edge(principal, cdn, "manages", true);
  for (const { target, actions } of [...allowed.values()].sort((a, b) => compare(a.target.key, b.target.key))) {
    const reads = [...actions].some((a) => /^s3:Get/.test(a));
    const writes = [...actions].some((a) => /^s3:Put/.test(a));
    const deletes = [...actions].some((a) => /^s3:Delete/.test(a));
    const label =
      writes && !reads && !deletes ? "uploads, put-only" : reads && writes && !deletes ? "uploads, reads back, never deletes" : reads && writes ? "reads, writes" : reads ? "reads" : "lists";
    out.edge(principal, target, label);
    // The application writes its CloudFront origin-access statement into a bucket policy Terraform leaves alone.
    const shared = g.referrers(target, "aws_s3_bucket_policy").some((p) => asArray(p.body.lifecycle?.ignore_changes).includes("policy"));
    if (cdn && reads && shared) out.edge(cdn, target, "origin", true);
  }
}

/** Nodes and edges of one environment, before rendering. */
class Diagram {
  readonly externals = new Map<string, ExternalNode>();
  readonly edges = new Map<string, Edge>();

  constructor(private readonly graph: Graph) {}

  id(node: Element | ExternalNode): string {
    return "key" in node ? mermaidId(`${node.stack.layer}_${node.address}`) : node.id;
  }

  external(id: string, label: string): ExternalNode {
    const node = { id: mermaidId(`external_${id}`), label };
    this.externals.set(node.id, node);
    return node;
  }

  edge(from: Element | ExternalNode, to: Element | ExternalNode, label: string, dotted = false): void {
    if ("key" in from && !this.graph.isMain(from)) return;
    if ("key" in to && !this.graph.isMain(to)) return;
    const edge = { from: this.id(from), to: this.id(to), label, dotted };
    if (edge.from === edge.to) return;
    this.edges.set(`${edge.from} ${edge.to} ${label}`, edge);
  }
}

function environmentDiagram(stacks: SynthesizedStack[]): string {
  const graph = new Graph(stacks);
  const diagram = new Diagram(graph);
  const main = graph.sorted().filter((e) => graph.isMain(e));
  const users = diagram.external("users", "Users");
  for (const element of main) {
    for (const target of graph.reachFrom(element, element.body)) {
      const label = REFERENCE_LABELS[`${element.type}>${target.type}`];
      // Relations draw their own types' edges; references with no label in the table are structural noise.
      if (label !== undefined) diagram.edge(element, target, label);
    }
    if (DNS_RECORD_TYPES.includes(element.type)) {
      diagram.edge(users, element, "HTTPS");
      for (const target of graph.reachFrom(element, element.body)) diagram.edge(element, target, "points to");
    }
  }
  for (const element of graph.sorted()) RELATIONS[element.type]?.(element, graph, diagram);

  // Group same-type nodes of a stack whose connections are the same (six alarms become three nodes).
  const signature = (id: string) =>
    [...diagram.edges.values()]
      .flatMap((e) => (e.from === id ? [`>${e.to} ${e.label}`] : e.to === id ? [`<${e.from} ${e.label}`] : []))
      .sort()
      .join("|");
  const groups = new Map<string, Element[]>();
  for (const element of main) {
    const key = MAIN[element.type]!.groupable ? `${element.stack.name} ${element.type} ${signature(diagram.id(element))}` : element.key;
    groups.set(key, [...(groups.get(key) ?? []), element]);
  }
  const nodeOf = new Map<string, string>();
  for (const members of groups.values()) for (const m of members) nodeOf.set(diagram.id(m), diagram.id(members[0]!));

  const lines = ["flowchart LR"];
  for (const node of [...diagram.externals.values()].sort((a, b) => compare(a.id, b.id))) lines.push(`  ${node.id}(["${escape(node.label)}"])`);
  for (const stack of stacks) {
    const count = Object.values<any>(stack.json.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    lines.push(`  subgraph ${mermaidId(stack.name)}["${stack.name} · ${CLOUD_LABELS[LAYER_CLOUDS[stack.layer]]} · ${count} resource${count === 1 ? "" : "s"}"]`);
    for (const members of groups.values()) {
      const first = members[0]!;
      if (first.stack !== stack) continue;
      lines.push(`    ${shape(diagram.id(first), nodeLabel(members, graph), MAIN[first.type]!.shape)}`);
    }
    lines.push("  end");
  }
  const edges = new Map<string, string>();
  for (const edge of diagram.edges.values()) {
    const from = nodeOf.get(edge.from) ?? edge.from;
    const to = nodeOf.get(edge.to) ?? edge.to;
    const arrow = edge.dotted ? "-.->" : "-->";
    const text = edge.label === "" ? `${from} ${arrow} ${to}` : `${from} ${arrow}|"${escape(edge.label)}"| ${to}`;
    edges.set(text, `  ${text}`);
  }
  lines.push(...[...edges.keys()].sort(compare).map((k) => edges.get(k)!));
  return lines.join("\n");
}

const CLOUD_LABELS: Record<string, string> = { aws: "AWS", google: "Google Cloud", dns: "DNS" };

function nodeLabel(members: Element[], graph: Graph): string {
  const first = members[0]!;
  const kind = MAIN[first.type]!.label;
  const names = members.map((m) => displayName(m, graph));
  const title = members.length > 1 ? `${members.length} × ${kind}` : kind;
  return [`<b>${title}</b>`, ...names].join("<br/>");
}

function displayName(element: Element, graph: Graph): string {
  const body = element.body;
  // The names operators search for, in full.
  const name =
    [body.bucket, body.alarm_name, body.display_name, body.name, body.tags?.Name].find((v) => typeof v === "string" && !v.includes("${")) ??
    element.address;
  const details: string[] = [];
  if (element.type === "aws_s3_bucket") {
    const region = providerRegion(element);
    if (region) details.push(region);
    for (const lock of graph.referrers(element, "aws_s3_bucket_object_lock_configuration")) {
      const retention = lock.body.rule?.default_retention;
      if (retention) details.push(`Object Lock ${retention.mode} ${retention.days ?? retention.years * 365} d`);
    }
  }
  if (element.type === "aws_backup_vault") {
    const region = providerRegion(element);
    if (region) details.push(region);
    for (const lock of graph.referrers(element, "aws_backup_vault_lock_configuration")) {
      details.push(lock.body.changeable_for_days === undefined ? "vault lock (governance)" : "vault lock (compliance)");
    }
  }
  if (element.type === "aws_instance" && typeof body.instance_type === "string") details.push(body.instance_type);
  if (element.type === "aws_ebs_volume" && body.size !== undefined) details.push(`${body.size} GiB`);
  if (element.type === "google_sql_database_instance" && typeof body.database_version === "string") details.push(body.database_version);
  return details.length === 0 ? name : `${name} (${details.join(", ")})`;
}

function providerRegion(element: Element): string | undefined {
  const [, alias] = /^aws\.(.+)$/.exec(element.body.provider ?? "") ?? [];
  const provider = asArray(element.stack.json.provider?.aws).find((p: any) => p.alias === alias);
  return typeof provider?.region === "string" ? provider.region : undefined;
}

function shape(id: string, label: string, kind: MainKind["shape"]): string {
  const text = `"${escape(label)}"`;
  if (kind === "round") return `${id}(${text})`;
  if (kind === "cylinder") return `${id}[(${text})]`;
  if (kind === "hexagon") return `${id}{{${text}}}`;
  return `${id}[${text}]`;
}

/** The stacks of every environment and the order cdktf deploys them in. */
function stacksDiagram(stacks: readonly SynthesizedStack[]): string {
  const lines = ["flowchart LR"];
  for (const env of ENV_NAMES) {
    const own = stacks.filter((s) => s.env === env);
    if (own.length === 0) continue;
    lines.push(`  subgraph ${mermaidId(`env_${env}`)}["${env}"]`);
    for (const stack of own) {
      const tf = stack.json.terraform?.backend ?? {};
      const backend = Object.keys(tf).sort().join(", ") || "no backend";
      lines.push(`    ${mermaidId(stack.name)}["${stack.name}<br/>${CLOUD_LABELS[LAYER_CLOUDS[stack.layer]]}, state in ${backend}"]`);
    }
    lines.push("  end");
  }
  const edges = stacks.flatMap((s) => s.dependencies.map((d) => `  ${mermaidId(d)} -->|"deploy before"| ${mermaidId(s.name)}`));
  lines.push(...edges.sort(compare));
  return lines.join("\n");
}

/** Types not drawn as nodes, with how many of each: what the main nodes stand for. */
function foldedTypes(stacks: readonly SynthesizedStack[]): string {
  const graph = new Graph(stacks);
  const counts = new Map<string, number>();
  for (const e of graph.sorted()) if (!e.isData && !graph.isMain(e)) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => compare(a, b)).map(([type, n]) => `\`${type}\` ×${n}`).join(", ");
}

export const ARCHITECTURE_FILE = path.resolve(__dirname, "..", "..", "docs", "architecture.md");

export function architectureMarkdown(stacks: readonly SynthesizedStack[]): string {
  const out = [
    "[← back to the README](../README.md)",
    "",
    "# Architecture",
    "",
    "<!-- Generated by `npm run docs` (tooling/docs.ts) from the synthesized stacks. Do not edit: test/architecture.test.ts fails when this file is stale. -->",
    "",
    "Drawn from the Terraform JSON that `npm run synth` produces for the default target (real AWS, remote state), so",
    "it shows what the code deploys today. Main resources only: each node stands for its resource and the settings",
    "around it (versioning, encryption, keys, IAM plumbing, network). An arrow is a reference in the code, a lookup",
    "by name across stacks, or what a resource type means (a replication configuration copies its bucket to its",
    "destination; an IAM policy lets its holder upload to a bucket). Dotted arrows are access logs and what the",
    "application creates outside Terraform (the GCE Ingress, CloudFront). `tooling/lib/architecture.ts` says how.",
    "",
    "## Stacks and their order",
    "",
    "`cdktf deploy` and the pipeline deploy a stack after the stacks it depends on (`stack.dependencies`).",
    "",
    "```mermaid",
    stacksDiagram(stacks),
    "```",
  ];
  for (const env of ENV_NAMES) {
    const own = stacks.filter((s) => s.env === env);
    if (own.length === 0) continue;
    out.push(
      "",
      `## \`${env}\``,
      "",
      "```mermaid",
      environmentDiagram(own),
      "```",
      "",
      `Not drawn as nodes (folded into the resources they belong to): ${foldedTypes(own)}.`,
    );
  }
  out.push(
    "",
    "## The repository's rooms",
    "",
    "Who each top-level folder serves, and which room imports which (arrows count the files that import across).",
    "The product never imports the emulated world, the tooling or the tests (`test/layering.test.ts`); each room",
    "outside the product's classic folders has a README saying what it holds and who may import it.",
    "",
    "```mermaid",
    roomsDiagram(path.resolve(__dirname, "..", "..")),
    "```",
  );
  return `${out.join("\n")}\n`;
}

function mermaidId(raw: string): string {
  return `n_${raw.replace(/[^A-Za-z0-9]+/g, "_")}`;
}

function escape(label: string): string {
  return label.replace(/"/g, "#quot;");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function asArray(value: unknown): any[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

function unique(elements: Element[]): Element[] {
  return [...new Map(elements.map((e) => [e.key, e])).values()].sort((a, b) => compare(a.key, b.key));
}

function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => (k === "//" ? [] : strings(v)));
  return [];
}

/** What a data source may find a resource by. */
function identities(body: any): string[] {
  return [body.name, body.bucket, body.tags?.Name].filter((v): v is string => typeof v === "string");
}
