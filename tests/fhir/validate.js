// Test-only: validate FHIR R4 JSON with FHIR.js, for tests/test_render_fhir.py.
// Reads one JSON document per line on standard input and answers each with one
// line: a JSON array of the validator's messages (severity, location, message).
// Kept running for the whole test session, since loading FHIR.js takes a while.
"use strict";
const readline = require("readline");
const { Fhir } = require("fhir");

const fhir = new Fhir();
const lines = readline.createInterface({ input: process.stdin, terminal: false });

lines.on("line", (line) => {
  let messages;
  try {
    const result = fhir.validate(JSON.parse(line), { errorOnUnexpected: true });
    messages = result.messages.map((m) => ({
      severity: m.severity,
      location: m.location,
      resource: m.resourceId,
      message: m.message,
    }));
  } catch (error) {
    messages = [{ severity: "fatal", location: "", resource: "", message: String(error) }];
  }
  process.stdout.write(JSON.stringify(messages) + "\n");
});
