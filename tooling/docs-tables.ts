/**
 * `npm run docs:tables`: prints the documentation tables generated from code (see tooling/lib/readme-tables.ts),
 * each under the page and section it belongs in: paste it over the old one there.
 */
import { GENERATED_TABLES } from "./lib/readme-tables";

console.log(GENERATED_TABLES.map((t) => `<!-- ${t.name}: goes in ${t.file}, section "${t.section}" -->\n${t.render()}`).join("\n\n"));
