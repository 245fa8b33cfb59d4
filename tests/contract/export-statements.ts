/**
 * Prints the contract's statements as JSON (`[{id, db, data_precision, sql}]`), the input of a
 * DeepFlow translator run (scripts/record-deepflow-contract.sh), and writes the scenario the
 * ClickHouse seed reads. Usage: node --require ./sandbox/register.js tests/contract/export-statements.ts
 */
import { contractStatements } from './statements';

const statements = contractStatements().map(({
  id, db, data_precision: precision, sql
}) => ({
  id, db, data_precision: precision, sql
}));

process.stdout.write(`${ JSON.stringify(statements, null, 1) }\n`);
