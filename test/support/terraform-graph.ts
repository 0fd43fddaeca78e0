/**
 * The dependency graph Terraform builds from a synthesized stack: an edge from A to B when A's configuration
 * references B (`${google_x.y.attr}`, `${data.google_x.y.attr}`) or lists B in `depends_on`. Construct-level
 * `node.addDependency` appears nowhere in the JSON, so it is (rightly) invisible here: this graph is what a first
 * apply will actually order by.
 */

/** A node's address as Terraform writes it: `google_sql_database_instance.database`, `data.google_project.project`. */
export type Address = string;

/** What Terraform accepts in JSON `depends_on`: a static reference to a resource, data source or module. */
const DEPENDS_ON_ENTRY = /^(?:data\.)?[a-zA-Z_][a-zA-Z0-9_-]*\.[a-zA-Z_][a-zA-Z0-9_-]*$|^module\.[a-zA-Z_][a-zA-Z0-9_-]*$/;

const REFERENCE = /\b((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[a-zA-Z0-9_-]+)/g;

function referencesIn(value: unknown, into: Set<Address>): void {
  if (typeof value === "string") {
    for (const expr of value.match(/\$\{[^}]*\}/g) ?? []) {
      for (const m of expr.matchAll(REFERENCE)) into.add(m[1]);
    }
  } else if (Array.isArray(value)) {
    for (const v of value) referencesIn(v, into);
  } else if (value !== null && typeof value === "object") {
    for (const v of Object.values(value)) referencesIn(v, into);
  }
}

export class TerraformGraph {
  /** Direct dependencies of each node. */
  readonly edges = new Map<Address, Set<Address>>();

  constructor(json: any) {
    const blocks: Array<[string, any]> = [
      ["", json.resource ?? {}],
      ["data.", json.data ?? {}],
    ];
    for (const [prefix, byType] of blocks) {
      for (const [type, byName] of Object.entries<any>(byType)) {
        for (const name of Object.keys(byName)) this.edges.set(`${prefix}${type}.${name}`, new Set());
      }
    }
    for (const [prefix, byType] of blocks) {
      for (const [type, byName] of Object.entries<any>(byType)) {
        for (const [name, body] of Object.entries<any>(byName)) {
          const deps = this.edges.get(`${prefix}${type}.${name}`)!;
          const found = new Set<Address>();
          const { depends_on: dependsOn, lifecycle, ...config } = body;
          referencesIn(config, found);
          // Terraform reads each depends_on entry as a bare address (`google_x.y`, `data.google_x.y`, `module.m`);
          // in JSON a `${…}` template there is its "Invalid expression" error, so it is one here too.
          for (const d of (dependsOn ?? []) as unknown[]) {
            if (typeof d !== "string" || !DEPENDS_ON_ENTRY.test(d)) {
              throw new Error(
                `${prefix}${type}.${name}: depends_on entry ${JSON.stringify(d)} is not a bare address; Terraform refuses it ` +
                  `("Invalid expression … A single static variable reference is required"). Pass resource objects to dependsOn.`,
              );
            }
            found.add(d);
          }
          for (const address of found) {
            // `google_x.y.attr` and `google_x.y`: keep the node part, and only nodes of this stack.
            const node = [...this.edges.keys()].find((n) => address === n || address.startsWith(`${n}.`));
            if (node !== undefined) deps.add(node);
          }
        }
      }
    }
  }

  /** Every node, as addresses. */
  nodes(): Address[] {
    return [...this.edges.keys()];
  }

  /** Nodes of one resource type (`google_kms_crypto_key_iam_member`) or data source type (`data.google_project`). */
  ofType(type: string): Address[] {
    return this.nodes().filter((n) => n.slice(0, n.lastIndexOf(".")) === type);
  }

  /** The resource type of a node (`google_sql_database_instance`), without a `data.` prefix. */
  static typeOf(address: Address): string {
    return address.replace(/^data\./, "").split(".")[0];
  }

  /** Everything `from` waits for before Terraform creates (or reads) it. */
  ancestors(from: Address): Set<Address> {
    const seen = new Set<Address>();
    const stack = [...(this.edges.get(from) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(this.edges.get(next) ?? []));
    }
    return seen;
  }

  /** True when Terraform cannot start `later` before `earlier` has finished. */
  orders(earlier: Address, later: Address): boolean {
    return this.ancestors(later).has(earlier);
  }
}
