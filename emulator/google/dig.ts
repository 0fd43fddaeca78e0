/**
 * `dig +short <name>`, as a MODEL: answers from the Cloud DNS record sets the stand-ins hold (what the dns stack
 * wrote), since no resolver here serves the zone. GCLOUD_MODEL_STANDINS is the stand-ins' side channel.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const name = args.find((a) => !a.startsWith("+") && !a.startsWith("-"));
  if (!args.includes("+short") || !name) throw new Error(`dig model: only "dig +short <name>" is modelled (got: ${args.join(" ")})`);
  const objects = (await (await fetch(`${process.env.GCLOUD_MODEL_STANDINS}/objects`)).json()) as Array<{ type: string; value: any }>;
  const fqdn = name.endsWith(".") ? name : `${name}.`;
  for (const o of objects) if (o.type === "google_dns_record_set" && o.value.name === fqdn && o.value.type === "A") process.stdout.write(`${(o.value.rrdatas as string[]).join("\n")}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
