/** `npm run docs:tables`: prints the README tables generated from code (see scripts/lib/readme-tables.ts). */
import { loadEnvironments } from "../config";
import { environmentTable, rulesTable } from "./lib/readme-tables";

console.log(`${environmentTable(loadEnvironments())}\n\n${rulesTable()}`);
