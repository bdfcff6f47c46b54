/**
 * The files of a download: CSV by csv-stringify (RFC 4180), ZIP by fflate, streamed file
 * by file and chunk by chunk, so a business of any size is never held in memory whole.
 */
import { stringify } from "csv-stringify/sync";
import { Zip, ZipDeflate } from "fflate";
import type { ExportRow as Row, ExportTable } from "../domain/types.ts";
import { CATALOGUES, type Locale, type MessageKey, t } from "../lib/i18n.ts";

/**
 * A column's name in the header row in `locale`: English keeps the names as they always
 * were (`client_id`), other languages read them in words (`Kunden-ID`); a column the
 * catalogue does not know keeps its name.
 */
export function columnName(column: string, locale: Locale = "en"): string {
  const key = `business.export.${column}`;
  return key in CATALOGUES.en ? t(locale, key as MessageKey) : column;
}

/** A spreadsheet runs a field starting so as a formula: it gets a leading `'`. */
const FORMULA = /^[=+\-@\t\r]/;

function cell(value: Row[string]): string {
  const text = value === null
    ? ""
    : Array.isArray(value)
    ? value.join(", ")
    : String(value);
  return FORMULA.test(text) ? `'${text}` : text;
}

/**
 * CSV lines (CRLF) of `rows` under `columns`, with the header first when `header`, its
 * names in `locale` (see {@link columnName}).
 */
export function csvLines(
  columns: readonly string[],
  rows: readonly Row[],
  header: boolean,
  locale: Locale = "en",
): string {
  const records = rows.map((r) => columns.map((c) => cell(r[c])));
  const names = columns.map((c) => columnName(c, locale));
  return stringify(header ? [names, ...records] : records, {
    record_delimiter: "\r\n",
    quoted_match: /[\r\n]/,
  });
}

export type ExportFile =
  | Readonly<{ name: string; json: unknown }>
  | Readonly<{ name: string; table: ExportTable }>;

/**
 * A ZIP of `files` as a byte stream, each file deflated as its rows arrive. `onDone` runs
 * once the last byte is out (a download that broke off is not done). The CSV files' header
 * rows are in `locale`, the downloader's (`viewerLocale(c)`); the JSON stays as it is.
 *
 * ```ts
 * return c.body(zipStream([{ name: "business.json", json }, { name: "a.csv", table }]));
 * ```
 */
export function zipStream(
  files: readonly ExportFile[],
  onDone?: () => Promise<void>,
  locale: Locale = "en",
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let zip: Zip;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      zip = new Zip((error, data, final) => {
        if (error) return controller.error(error);
        if (data.length) controller.enqueue(data);
        if (final) {
          void (onDone?.() ?? Promise.resolve()).then(
            () => controller.close(),
            (e) => controller.error(e),
          );
        }
      });
      void (async () => {
        try {
          for (const file of files) {
            const entry = new ZipDeflate(file.name, { level: 6 });
            zip.add(entry);
            if ("json" in file) {
              entry.push(
                encoder.encode(JSON.stringify(file.json, null, 2)),
                true,
              );
              continue;
            }
            let header = true;
            for await (const rows of file.table.rows()) {
              entry.push(
                encoder.encode(
                  csvLines(file.table.columns, rows, header, locale),
                ),
              );
              header = false;
            }
            if (header) {
              entry.push(
                encoder.encode(
                  csvLines(file.table.columns, [], true, locale),
                ),
              );
            }
            entry.push(new Uint8Array(), true);
          }
          zip.end();
        } catch (error) {
          controller.error(error);
        }
      })();
    },
  });
}
