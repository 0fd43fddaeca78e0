/**
 * What secret values crossed the stand-ins: each value an ephemeral resource produced (OpenEphemeralResource) and
 * each value that reached a write-only argument (ApplyResourceChange's `config`: Terraform sends write-only values
 * there and nowhere else, hashicorp/terraform v1.11.4 docs/plugin-protocol/tfplugin6.8.proto, ApplyResourceChange;
 * planned and new state carry null, provider.ts `withoutWriteOnly`). The cloud keeps such a value (Cloud SQL the
 * user's password, Secret Manager the version's payload); the stand-ins keep it here, so a test can search plan
 * files, state and logs for exactly the values Terraform handled, and see which objects got which value.
 * Read through the side channel: GET /ephemeral-opened, GET /write-only.
 */
import { isObject, type SchemaBlock } from "./cty";

export interface EphemeralOpened {
  readonly seq: number;
  readonly provider: string;
  readonly type: string;
  /** The `result` attribute, where the type has one. */
  readonly result: unknown;
}

export interface WriteOnlyReceived {
  readonly seq: number;
  readonly provider: string;
  readonly type: string;
  /** The object's id after apply. */
  readonly id: string;
  /** The object's other string attributes after apply (its name, instance, secret...): what it belongs to. */
  readonly refs: readonly string[];
  readonly attribute: string;
  readonly value: unknown;
}

export class SecretJournal {
  readonly opened: EphemeralOpened[] = [];
  readonly writeOnly: WriteOnlyReceived[] = [];
  private seq = 0;

  recordOpen(provider: string, type: string, result: Record<string, unknown>): void {
    this.opened.push({ seq: this.seq++, provider, type, result: result.result ?? null });
  }

  /** Every top-level write-only attribute set in the configuration an apply received (the types used have only those). */
  recordApply(provider: string, type: string, block: SchemaBlock, config: unknown, newState: unknown): void {
    if (!isObject(config)) return;
    const id = isObject(newState) && typeof newState.id === "string" ? newState.id : "";
    const refs = isObject(newState) ? Object.values(newState).filter((v): v is string => typeof v === "string") : [];
    for (const [attribute, schema] of Object.entries(block.attributes ?? {})) {
      const value = config[attribute];
      if (schema.write_only && value !== null && value !== undefined) this.writeOnly.push({ seq: this.seq++, provider, type, id, refs, attribute, value });
    }
  }
}
