// Validates an OpenAPI document against the official schema of its version and resolves every $ref,
// so the test does not trust the generator that wrote the document. Exit 0 when valid; errors on stderr.
import { Validator } from "@seriousme/openapi-schema-validator";

const file = process.argv[2];
if (!file) {
  console.error("usage: node validate.mjs <openapi.json>");
  process.exit(2);
}
const validator = new Validator();
const result = await validator.validate(file);
if (!result.valid) {
  console.error(JSON.stringify(result.errors, null, 2));
  process.exit(1);
}
try {
  validator.resolveRefs();
} catch (error) {
  console.error(`unresolvable $ref: ${error.message}`);
  process.exit(1);
}
console.log(`valid OpenAPI ${validator.version}`);
