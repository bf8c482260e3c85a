#!/usr/bin/env node
// Sends a file of reviews to Opinia in batches (ReviewService.IngestReviews).
//
//   OPINIA_KEY_FILE=ingest.key node examples/node/ingest.js examples/reviews.jsonl
//   OPINIA_KEY_FILE=ingest.key node examples/node/ingest.js examples/reviews.csv --batch-size=10
//
// The file is JSON Lines (one opinia.v1.ReviewInput per line, proto JSON field
// names) or, for a name ending in .csv, CSV with a header row naming
// ReviewInput fields (a column `attributes.KEY` fills the attributes map;
// empty cells are left unset). The key needs the role ingest.
//
// Safe to run again, and to retry: a review is identified by its source and
// external_id, so a batch sent twice (after a lost answer, or a whole second
// run) comes back UNCHANGED instead of creating duplicates. That is what makes
// the retries in connect.js's Client.call safe.
//
// Prints one line with the outcome counts on stdout; progress and retries on
// stderr. Exit status: 0, 1 on an error the program gave up on, 3 when the
// server rejected some reviews (each reason names the field and the line).
'use strict';

const fs = require('fs');
const { parse: parseCsv } = require('csv-parse/sync');
const { Client, parseFlags, fail, log, rpcErrorExit } = require('./connect');

const USAGE = `usage: ingest.js FILE.jsonl|FILE.csv [--batch-size=N]
  --batch-size=N        reviews per IngestReviews call (default 100; the server
                        allows up to its --max-batch, 1,000 by default)`;

// [line number, review as a plain object in proto JSON] for each review.
function readReviews(file) {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.csv')) {
    // RFC 4180: quoted cells may hold commas, "" quotes and line breaks.
    return parseCsv(text, { columns: true, info: true, skip_empty_lines: true })
      .map(({ record, info }) => {
        const review = {};
        const attributes = {};
        for (const [column, value] of Object.entries(record)) {
          if (value === '') continue;
          if (column.startsWith('attributes.')) {
            attributes[column.slice('attributes.'.length)] = value;
          } else {
            review[column] = value;
          }
        }
        if (Object.keys(attributes).length) review.attributes = attributes;
        return [info.lines, review];
      });
  }
  const reviews = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      reviews.push([i + 1, JSON.parse(line)]);
    } catch (e) {
      fail(`${file}:${i + 1}: not JSON: ${e.message}`);
    }
  });
  return reviews;
}

// RFC 3339 ("2026-11-02T08:14:00Z") -> google.protobuf.Timestamp.
function timestamp(value) {
  const match = /^(.*?)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/i.exec(value);
  const millis = match ? Date.parse(match[1] + match[3]) : NaN;
  if (Number.isNaN(millis)) throw new Error(`not an RFC 3339 time: ${value}`);
  return { seconds: String(millis / 1000), nanos: Number((match[2] || '').padEnd(9, '0')) };
}

// A proto JSON ReviewInput as the object grpc-js serializes: field names
// checked (a typo must not silently drop a field), times as Timestamps,
// numbers from CSV's strings.
function toReviewInput(json, fields) {
  const review = {};
  for (const [key, value] of Object.entries(json)) {
    const name = fields.get(key);
    if (!name) throw new Error(`unknown field "${key}" of opinia.v1.ReviewInput`);
    if (name === 'create_time' || name === 'update_time') {
      review[name] = timestamp(value);
    } else if (name === 'rating' || name === 'rating_scale') {
      if (!/^-?\d+$/.test(String(value))) throw new Error(`${key}: not an integer: ${value}`);
      review[name] = Number(value);
    } else {
      review[name] = value;
    }
  }
  return review;
}

async function main() {
  const { values, positionals } = parseFlags(
    { 'batch-size': { type: 'string', default: '100' } }, USAGE, true);
  if (positionals.length !== 1) fail(USAGE);
  const file = positionals[0];
  const batchSize = Math.max(1, parseInt(values['batch-size'], 10) || 100);
  const client = new Client(values);
  const fields = client.fieldNames('ReviewInput');

  // Parse the whole file first: a typo on line 40 should stop the program
  // before anything is sent, not after half the file went in.
  let parsed;
  try {
    parsed = readReviews(file);
  } catch (e) {
    fail(`${file}: ${e.message}`);
  }
  parsed = parsed.map(([line, json]) => {
    try {
      return [line, toReviewInput(json, fields)];
    } catch (e) {
      return fail(`${file}:${line}: ${e.message}`);
    }
  });

  const counts = { CREATED: 0, UPDATED: 0, UNCHANGED: 0, REJECTED: 0 };
  const batches = [];
  for (let i = 0; i < parsed.length; i += batchSize) batches.push(parsed.slice(i, i + batchSize));
  for (const [index, batch] of batches.entries()) {
    const what = `batch ${index + 1} of ${batches.length}`;
    let response;
    try {
      response = await client.call(client.reviews, 'IngestReviews',
        { reviews: batch.map(([, review]) => review) }, what);
    } catch (error) {
      rpcErrorExit(error, `IngestReviews (${what}, lines ${batch[0][0]}-${batch[batch.length - 1][0]})`);
    }
    // One result per review, in the order sent.
    response.results.forEach((result, i) => {
      counts[result.outcome] = (counts[result.outcome] || 0) + 1;
      if (result.outcome === 'REJECTED') log(`${file}:${batch[i][0]}: rejected: ${result.error}`);
    });
    log(`${what} done (${batch.length} reviews)`);
  }
  client.close();

  console.log(`ingested ${parsed.length} reviews: created ${counts.CREATED}, ` +
              `updated ${counts.UPDATED}, unchanged ${counts.UNCHANGED}, ` +
              `rejected ${counts.REJECTED}`);
  process.exitCode = counts.REJECTED ? 3 : 0;
}

main();
