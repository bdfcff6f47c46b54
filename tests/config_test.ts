import assert from "node:assert/strict";
import { loadConfig } from "../config.ts";

Deno.test("defaults follow the contract when nothing is set", () => {
  const c = loadConfig({});
  assert.equal(c.port, 8000);
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.dataDir, ".data");
  assert.equal(c.appUrl, "http://localhost:8000");
  assert.equal(c.telegramApiRoot, "https://api.telegram.org");
  assert.equal(c.mailFrom, "Spotter <no-reply@localhost>");
  assert.equal(c.telegramBotToken, undefined);
  assert.equal(c.smtpUrl, undefined);
});

Deno.test("APP_URL follows PORT unless set, and loses a trailing slash", () => {
  assert.equal(loadConfig({ PORT: "9000" }).appUrl, "http://localhost:9000");
  assert.equal(
    loadConfig({ APP_URL: "https://book.example/" }).appUrl,
    "https://book.example",
  );
});

Deno.test("every bad variable is named in one readable error", () => {
  assert.throws(
    () =>
      loadConfig({
        PORT: "eighty",
        DATABASE_URL: "mysql://x",
        TELEGRAM_BOT_TOKEN: "nope",
        SMTP_URL: "http://mail",
      }),
    (error: Error) => {
      for (
        const name of ["PORT", "DATABASE_URL", "TELEGRAM_BOT_TOKEN", "SMTP_URL"]
      ) {
        assert.match(error.message, new RegExp(name));
      }
      return true;
    },
  );
});

Deno.test("an empty variable counts as unset", () => {
  assert.equal(
    loadConfig({ DATABASE_URL: "", PORT: "" }).databaseUrl,
    undefined,
  );
});
