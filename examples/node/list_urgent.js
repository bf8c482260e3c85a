#!/usr/bin/env node
// Lists the urgent reviews still waiting for an answer (ReviewService.ListReviews).
//
//   OPINIA_KEY_FILE=read.key node examples/node/list_urgent.js
//   OPINIA_KEY_FILE=read.key node examples/node/list_urgent.js --priorities=P1 --limit=20
//
// One line per review, most urgent first (priority, then the deadline to
// respond): priority, name, source/external_id, deadline, reason codes and the
// start of the text. The key needs the role read.
'use strict';

const { Client, parseFlags, log, rpcErrorExit } = require('./connect');

const USAGE = `usage: list_urgent.js [--priorities=P1,P2] [--statuses=NEW,ACKNOWLEDGED] [--limit=N]
  --priorities=LIST     comma-separated priorities (default P1,P2)
  --statuses=LIST       review statuses (default NEW,ACKNOWLEDGED: not yet answered)
  --limit=N             list at most N (default 200)`;

const PRIORITY_ORDER = ['P1', 'P2', 'P3', 'P4', 'NONE'];

async function main() {
  const { values } = parseFlags({
    priorities: { type: 'string', default: 'P1,P2' },
    statuses: { type: 'string', default: 'NEW,ACKNOWLEDGED' },
    limit: { type: 'string', default: '200' },
  }, USAGE, false);
  const limit = Math.max(1, parseInt(values.limit, 10) || 200);
  const client = new Client(values);
  // Enums by name.
  const request = {
    priorities: client.enumList('Priority', values.priorities, '--priorities'),
    statuses: client.enumList('ReviewStatus', values.statuses, '--statuses'),
    page_size: Math.min(limit, 1000),
  };
  let found = [];
  // Pages: the server returns at most page_size reviews and a token for the rest.
  while (found.length < limit) {
    let page;
    try {
      page = await client.call(client.reviews, 'ListReviews', request, 'ListReviews');
    } catch (error) {
      rpcErrorExit(error, 'ListReviews');
    }
    found.push(...page.reviews);
    if (!page.next_page_token) break;
    request.page_token = page.next_page_token;
  }
  client.close();
  found = found.slice(0, limit);

  // A person's correction (UpdateReview) wins over the analysis.
  const urgency = (r) => (r.override && r.override.urgency &&
    r.override.urgency.priority !== 'PRIORITY_UNSPECIFIED' ? r.override.urgency : r.analysis.urgency);
  // Timestamps come as {seconds: "…", nanos}; null when not set.
  const seconds = (t) => (t ? Number(t.seconds) + t.nanos / 1e9 : Infinity);

  // Most urgent first; among equals, the earliest deadline first (none: last).
  found.sort((a, b) => PRIORITY_ORDER.indexOf(urgency(a).priority) -
                       PRIORITY_ORDER.indexOf(urgency(b).priority) ||
                       seconds(urgency(a).respond_by) - seconds(urgency(b).respond_by));
  for (const r of found) {
    const u = urgency(r);
    const respondBy = u.respond_by
      ? new Date(seconds(u.respond_by) * 1000).toISOString().replace(/\.\d+Z$/, 'Z') : '-';
    const text = r.input.text.split(/\s+/).join(' ');
    console.log(`${u.priority}  ${r.name}  ${r.input.source}/${r.input.external_id}  ` +
                `respond by ${respondBy}  ${u.reasons.join(',') || '-'}  ${[...text].slice(0, 80).join('')}`);
  }
  log(`${found.length} urgent reviews`);
}

main();
