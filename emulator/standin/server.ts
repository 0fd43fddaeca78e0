/**
 * The stand-in provider server: one Node process serving the stand-ins for hashicorp/google, hashicorp/google-beta,
 * cloudflare/cloudflare and hashicorp/time over Terraform's plugin protocol 6.8 (tfplugin6.8.proto, copied from
 * hashicorp/terraform v1.11.4 docs/plugin-protocol/), one gRPC server per provider on loopback, so that one order
 * log records the creates of every provider.
 *
 * Terraform attaches to it through TF_REATTACH_PROVIDERS (why: docs/emulator.md "Stand-in providers"), so there
 * is no go-plugin handshake and no mutual TLS, and the objects live as long as this process: init, plan, apply, a
 * second plan, import and drift all see the same objects.
 *
 * Run by client.ts: `node -r ./tooling/register-swc.js emulator/standin/server.ts <config.json>`. Prints one line
 * `STANDIN_READY <json>` (the reattach map and the side channel's URL) and exits when its stdin closes.
 *
 * Side channel (HTTP on 127.0.0.1, JSON): GET /creates (the create log), GET /objects, POST /seed
 * {provider,type,id,value} (an object that exists before Terraform: to import, or for a data source to read), POST
 * /patch {type,id,set} (change an object behind Terraform's back: drift), POST /delete {type,id}, GET /ephemeral-opened
 * and GET /write-only (the secret values that crossed the stand-ins: write-only.ts).
 *
 * hashicorp/random serves only an ephemeral resource (random.ts): its schema is written from its source, not derived.
 */
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import * as fs from "node:fs";
import * as http from "node:http";
import * as path from "node:path";
import { fromDynamicValue, normalizeBlock, toDynamicValue, type ProviderSchemaJson, type Schema, type SchemaAttribute, type SchemaBlock } from "./cty";
import { StandinError, StandinProvider, StandinWorld } from "./provider";
import { EPHEMERAL_RESOURCES, ephemeralResource, RANDOM_SCHEMA } from "./random";
import { SecretJournal } from "./write-only";

export interface StandinProviderConfig {
  /** The short name: google, google-beta, cloudflare, time. */
  readonly name: string;
  /** The registry address Terraform knows it by, e.g. registry.terraform.io/hashicorp/google. */
  readonly address: string;
  /** The prebuilt bindings the schema is derived from, e.g. @cdktf/provider-google. */
  readonly pkg?: string;
  /** Only these resource and data source types (faster schema answers); all when absent. */
  readonly types?: string[];
  /** A schema JSON file (`terraform providers schema -json` shape for this provider) instead of the derivation. */
  readonly schemaFile?: string;
}

export interface StandinServerConfig {
  readonly providers: StandinProviderConfig[];
}

const PROTO_OPTIONS: protoLoader.Options = { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true };

function loadSchema(config: StandinProviderConfig): ProviderSchemaJson {
  if (config.name === "random") return RANDOM_SCHEMA;
  if (config.schemaFile) return JSON.parse(fs.readFileSync(config.schemaFile, "utf8")) as ProviderSchemaJson;
  if (!config.pkg) throw new Error(`stand-in ${config.name}: neither a schema file nor a bindings package`);
  // The derivation from the prebuilt bindings (schema.ts, issue 19), loaded at run time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { deriveProviderSchema } = require("./schema") as {
    deriveProviderSchema: (pkg: string, options?: { types?: string[] }) => ProviderSchemaJson;
  };
  return deriveProviderSchema(config.pkg, config.types ? { types: config.types } : undefined);
}

// ---- schema JSON -> protocol messages ---------------------------------------------------------------------------

function protoSchema(schema: Schema): unknown {
  return { version: schema.version ?? 0, block: protoBlock(schema.block) };
}

function protoBlock(block: SchemaBlock): unknown {
  return {
    version: 0,
    attributes: Object.entries(block.attributes ?? {}).map(([name, a]) => protoAttribute(name, a)),
    block_types: Object.entries(block.block_types ?? {}).map(([name, bt]) => ({
      type_name: name,
      block: protoBlock(bt.block),
      nesting: bt.nesting_mode.toUpperCase(),
      min_items: bt.min_items ?? 0,
      max_items: bt.max_items ?? 0,
    })),
    description: block.description ?? "",
    description_kind: "PLAIN",
    deprecated: block.deprecated ?? false,
  };
}

function protoAttribute(name: string, a: SchemaAttribute): unknown {
  return {
    name,
    type: a.type !== undefined ? Buffer.from(JSON.stringify(a.type)) : Buffer.alloc(0),
    nested_type: a.nested_type
      ? {
          attributes: Object.entries(a.nested_type.attributes).map(([n, inner]) => protoAttribute(n, inner)),
          nesting: a.nested_type.nesting_mode.toUpperCase(),
        }
      : null,
    description: a.description ?? "",
    required: a.required ?? false,
    optional: a.optional ?? false,
    computed: a.computed ?? false,
    sensitive: a.sensitive ?? false,
    description_kind: "PLAIN",
    deprecated: a.deprecated ?? false,
    write_only: a.write_only ?? false,
  };
}

function errorDiagnostic(error: unknown): { severity: string; summary: string; detail: string } {
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof StandinError
    ? { severity: "ERROR", summary: message, detail: error.detail }
    : { severity: "ERROR", summary: "stand-in provider failure", detail: error instanceof Error ? (error.stack ?? message) : message };
}

type Handler = (request: any, connection: string) => unknown | Promise<unknown>;

/** A unary handler whose failures become error diagnostics, as a provider reports them. */
function unary(handler: Handler): grpc.handleUnaryCall<any, any> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handler(call.request, call.getPeer()))
      .then((response) => callback(null, response as any))
      .catch((error: unknown) => callback(null, { diagnostics: [errorDiagnostic(error)] }));
  };
}

function providerService(provider: StandinProvider, journal: SecretJournal): grpc.UntypedServiceImplementation {
  const schema = provider.schema;
  const ephemeralTypes = EPHEMERAL_RESOURCES[provider.name] ?? {};
  const schemaResponse = {
    provider: protoSchema(schema.provider),
    resource_schemas: Object.fromEntries(Object.entries(schema.resource_schemas ?? {}).map(([t, s]) => [t, protoSchema(s)])),
    data_source_schemas: Object.fromEntries(Object.entries(schema.data_source_schemas ?? {}).map(([t, s]) => [t, protoSchema(s)])),
    functions: {},
    ephemeral_resource_schemas: Object.fromEntries(Object.entries(ephemeralTypes).map(([t, e]) => [t, protoSchema(e.schema)])),
    diagnostics: [],
    server_capabilities: { plan_destroy: false, get_provider_schema_optional: false, move_resource_state: false },
  };
  const ok = (extra: object = {}) => ({ diagnostics: [], ...extra });
  return {
    GetMetadata: unary(() => ({
      server_capabilities: schemaResponse.server_capabilities,
      diagnostics: [],
      resources: Object.keys(schema.resource_schemas ?? {}).map((type_name) => ({ type_name })),
      data_sources: Object.keys(schema.data_source_schemas ?? {}).map((type_name) => ({ type_name })),
      functions: [],
      ephemeral_resources: Object.keys(ephemeralTypes).map((type_name) => ({ type_name })),
    })),
    GetProviderSchema: unary(() => schemaResponse),
    // Terraform itself checks every configuration against the schema (types, required, unknown names, nesting); the
    // provider's own validators, as the reviewed tables record them, answer here (decide.ts validateConfig).
    ValidateProviderConfig: unary((r) => ok({ diagnostics: provider.validateProvider(fromDynamicValue(r.config)) })),
    ValidateResourceConfig: unary((r) => ok({ diagnostics: provider.validateResource(r.type_name, fromDynamicValue(r.config)) })),
    ValidateDataResourceConfig: unary((r) => ok({ diagnostics: provider.validateDataSource(r.type_name, fromDynamicValue(r.config)) })),
    ValidateEphemeralResourceConfig: unary((r) => {
      const errors = ephemeralResource(provider.name, r.type_name).validate(fromDynamicValue(r.config) as Record<string, unknown>);
      return { diagnostics: errors.map((e) => errorDiagnostic(new StandinError(e))) };
    }),
    ConfigureProvider: unary((r, connection) => (provider.configure(connection, fromDynamicValue(r.config)), ok())),
    // State is written in the current schema by this very server: the JSON passes through.
    UpgradeResourceState: unary((r) => {
      const { block } = provider.resourceSchema(r.type_name);
      const raw = r.raw_state?.json && r.raw_state.json.length > 0 ? JSON.parse(Buffer.from(r.raw_state.json).toString("utf8")) : null;
      return ok({ upgraded_state: toDynamicValue(normalizeBlock(block, raw)) });
    }),
    ReadResource: unary((r) =>
      ok({ new_state: toDynamicValue(provider.read(r.type_name, fromDynamicValue(r.current_state))), private: r.private ?? Buffer.alloc(0) }),
    ),
    PlanResourceChange: unary((r, connection) => {
      const plan = provider.plan(connection, r.type_name, fromDynamicValue(r.prior_state), fromDynamicValue(r.proposed_new_state), fromDynamicValue(r.config));
      return ok({
        planned_state: toDynamicValue(plan.planned),
        requires_replace: plan.requiresReplace.map((steps) => ({ steps })),
        planned_private: r.prior_private ?? Buffer.alloc(0),
        legacy_type_system: plan.legacyTypeSystem,
      });
    }),
    ApplyResourceChange: unary(async (r, connection) => {
      const newState = await provider.apply(connection, r.type_name, fromDynamicValue(r.prior_state), fromDynamicValue(r.planned_state));
      journal.recordApply(provider.name, r.type_name, provider.resourceSchema(r.type_name).block, fromDynamicValue(r.config), newState);
      return ok({ new_state: toDynamicValue(newState), private: r.planned_private ?? Buffer.alloc(0), legacy_type_system: false });
    }),
    ImportResourceState: unary((r, connection) =>
      ok({ imported_resources: [{ type_name: r.type_name, state: toDynamicValue(provider.importState(connection, r.type_name, r.id)), private: Buffer.alloc(0) }] }),
    ),
    MoveResourceState: unary(() => {
      throw new StandinError(`${provider.name} stand-in: MoveResourceState is not supported`);
    }),
    ReadDataSource: unary((r, connection) => ok({ state: toDynamicValue(provider.readDataSource(connection, r.type_name, fromDynamicValue(r.config))) })),
    OpenEphemeralResource: unary((r) => {
      const result = ephemeralResource(provider.name, r.type_name).open(fromDynamicValue(r.config) as Record<string, unknown>);
      journal.recordOpen(provider.name, r.type_name, result);
      return ok({ result: toDynamicValue(result), private: Buffer.alloc(0) });
    }),
    RenewEphemeralResource: unary(() => ok()),
    CloseEphemeralResource: unary(() => ok()),
    GetFunctions: unary(() => ok({ functions: {} })),
    CallFunction: unary(() => ({ error: { text: `${provider.name} stand-in: no functions` } })),
    StopProvider: unary(() => ({ Error: "" })),
  };
}

// ---- side channel -----------------------------------------------------------------------------------------------

function sideChannel(world: StandinWorld, providers: Map<string, StandinProvider>, journal: SecretJournal): http.Server {
  return http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const reply = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v)));
      };
      try {
        const input = body ? JSON.parse(body) : {};
        if (req.method === "GET" && req.url === "/creates") return reply(200, world.creates);
        if (req.method === "GET" && req.url === "/objects") return reply(200, [...world.objects.values()]);
        if (req.method === "GET" && req.url === "/ephemeral-opened") return reply(200, journal.opened);
        if (req.method === "GET" && req.url === "/write-only") return reply(200, journal.writeOnly);
        if (req.method === "POST" && req.url === "/seed") {
          const provider = providers.get(input.provider);
          if (!provider) throw new Error(`no stand-in provider ${input.provider}`);
          // A type the stacks only read (a project, a shared cluster) has only its data source's schema here.
          const schema = provider.schema.resource_schemas?.[input.type] ?? provider.schema.data_source_schemas?.[input.type];
          const raw = { ...input.value, id: input.id };
          const value = (schema ? normalizeBlock(schema.block, raw) : raw) as Record<string, unknown>;
          world.put({ provider: input.provider, type: input.type, id: input.id, value });
          return reply(200, value);
        }
        if (req.method === "POST" && req.url === "/patch") {
          const object = world.get(input.type, input.id);
          if (!object) throw new Error(`no ${input.type} ${input.id} in the stand-ins`);
          object.value = { ...object.value, ...input.set };
          return reply(200, object.value);
        }
        if (req.method === "POST" && req.url === "/delete") {
          world.delete(input.type, input.id);
          return reply(200, {});
        }
        reply(404, { error: `no ${req.method} ${req.url}` });
      } catch (error) {
        reply(400, { error: error instanceof Error ? error.message : String(error) });
      }
    });
  });
}

// ---- main ---------------------------------------------------------------------------------------------------------

async function bind(server: grpc.Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port))),
  );
}

export async function serve(config: StandinServerConfig): Promise<{ reattach: Record<string, unknown>; url: string; close: () => void }> {
  const load = (file: string) => grpc.loadPackageDefinition(protoLoader.loadSync(path.join(__dirname, file), PROTO_OPTIONS)) as any;
  const tfplugin6 = load("tfplugin6.8.proto").tfplugin6;
  const goPlugin = load("go-plugin.proto").plugin;
  const health = load("health.proto").grpc.health.v1;

  const world = new StandinWorld();
  const journal = new SecretJournal();
  const providers = new Map<string, StandinProvider>();
  const servers: grpc.Server[] = [];
  const reattach: Record<string, unknown> = {};
  for (const p of config.providers) {
    const provider = new StandinProvider(p.name, loadSchema(p), world);
    providers.set(p.name, provider);
    const server = new grpc.Server({ "grpc.max_receive_message_length": 256 * 1024 * 1024, "grpc.max_send_message_length": 256 * 1024 * 1024 });
    server.addService(tfplugin6.Provider.service, providerService(provider, journal));
    server.addService(health.Health.service, { Check: unary(() => ({ status: "SERVING" })) });
    server.addService(goPlugin.GRPCController.service, { Shutdown: unary(() => ({})) });
    server.addService(goPlugin.GRPCStdio.service, { StreamStdio: (call: grpc.ServerWritableStream<any, any>) => call.end() });
    const port = await bind(server);
    servers.push(server);
    // go-plugin's ReattachConfig; Test: the process is not Terraform's to stop (hashicorp/terraform v1.11.4
    // internal/command/e2etest/unmanaged_test.go attaches the same way).
    reattach[p.address] = { Protocol: "grpc", ProtocolVersion: 6, Pid: process.pid, Test: true, Addr: { Network: "tcp", String: `127.0.0.1:${port}` } };
  }
  const side = sideChannel(world, providers, journal);
  await new Promise<void>((resolve) => side.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(side.address() as { port: number }).port}`;
  return {
    reattach,
    url,
    close: () => {
      for (const server of servers) server.forceShutdown();
      side.close();
    },
  };
}

if (require.main === module) {
  const config = JSON.parse(fs.readFileSync(process.argv[2], "utf8")) as StandinServerConfig;
  serve(config)
    .then(({ reattach, url, close }) => {
      process.stdout.write(`STANDIN_READY ${JSON.stringify({ reattach, url })}\n`);
      // The parent holds our stdin: when it goes away, so do we.
      process.stdin.on("end", () => {
        close();
        process.exit(0);
      });
      process.stdin.resume();
    })
    .catch((error: unknown) => {
      process.stderr.write(`stand-in server failed to start: ${error instanceof Error ? (error.stack ?? error.message) : error}\n`);
      process.exit(1);
    });
}
