#!/usr/bin/env node
// Follows new alerts as they happen (AlertService.StreamAlerts), with resume.
//
//   OPINIA_KEY_FILE=read.key node examples/node/tail_alerts.js --state-file=alerts.token
//   OPINIA_KEY_FILE=read.key node examples/node/tail_alerts.js --state-file=alerts.token --priorities=P1
//
// Prints one line per alert event on stdout:
//   EVENT_TYPE  alerts/ID  PRIORITY  KIND  reviews/ID  SOURCE  REASONS  summary
//
// Every event carries a resume_token. After handling an event the program
// saves its token in --state-file (atomically: a crash leaves the old or the
// new token, never half of one). When it connects, it sends the saved token,
// and the server sends every later event exactly once and in order: stopping
// and starting the program, a server restart or a dropped connection loses
// nothing and repeats nothing. With no saved token, the stream starts from now.
//
// The token is saved after the event was handled (here: printed), so a crash
// between the two hands the same event over again on the next start: at least
// once for the handler, exactly once from the server. A handler that must not
// act twice can remember the alert names it has handled.
//
// Reconnects on UNAVAILABLE (the server restarting) with back-off; stops after
// --max-attempts failures in a row. SIGINT (Ctrl-C) and SIGTERM stop it
// cleanly. The key needs the role read.
'use strict';

const fs = require('fs');
const { Client, parseFlags, fail, log, backoff, codeName, rpcErrorExit } = require('./connect');

const USAGE = `usage: tail_alerts.js --state-file=FILE [--priorities=P1,P2]
  --state-file=FILE     where the last resume_token is kept between runs
  --priorities=LIST     only alerts of these priorities (default: all)`;

function loadToken(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (e) {
    if (e.code === 'ENOENT') return '';
    return fail(`--state-file: ${e.message}`);
  }
}

// Replaces the file's content atomically and durably.
function saveToken(file, token) {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  fs.writeSync(fd, `${token}\n`);
  fs.fsyncSync(fd);
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}

// Follows one stream until it ends. Resolves to null when it ended without an
// error, else rejects with the error. Events are handled one by one in
// 'data' (synchronously, so in order, and a signal cannot come in between
// printing an event and saving its token).
function follow(client, request, state, onCall) {
  return new Promise((resolve, reject) => {
    // No deadline: the stream stays open as long as we follow it.
    const call = client.alerts.StreamAlerts(request, client.metadata);
    onCall(call);
    call.on('data', (event) => {
      const a = event.alert;
      console.log(`${event.type}  ${a.name}  ${a.priority}  ${a.kind}  ${a.review || '-'}  ` +
                  `${a.source || '-'}  ${a.reasons.join(',') || '-'}  ` +
                  `${a.summary.split(/\s+/).join(' ')}`);
      // Handled: remember where we are.
      request.resume_token = event.resume_token;
      saveToken(state.file, event.resume_token);
      state.failures = 0;
    });
    call.on('error', reject);
    call.on('end', () => resolve(null));
  });
}

async function main() {
  const { values } = parseFlags({
    'state-file': { type: 'string' },
    priorities: { type: 'string', default: '' },
  }, USAGE, false);
  if (!values['state-file']) fail(USAGE);
  const client = new Client(values);
  const state = { file: values['state-file'], failures: 0 };
  const request = {
    resume_token: loadToken(state.file),
    priorities: client.enumList('Priority', values.priorities, '--priorities'),
  };

  // Stop cleanly on SIGTERM as on Ctrl-C: cancel the open stream, which then
  // ends with CANCELLED.
  let stopping = false;
  let current = null;
  let wake = null;
  const stop = () => {
    stopping = true;
    if (current) current.cancel();
    if (wake) wake();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // A sleep that SIGTERM cuts short.
  const pause = (seconds) => new Promise((resolve) => {
    const timer = setTimeout(resolve, stopping ? 0 : seconds * 1000);
    wake = () => { clearTimeout(timer); resolve(); };
  }).finally(() => { wake = null; });

  while (!stopping) {
    log(`streaming alerts ${request.resume_token ? 'after the saved resume_token'
                                                  : 'from now on (no saved resume_token)'}`);
    try {
      await follow(client, request, state, (call) => { current = call; });
      // The server ended the stream without an error (it does not, but a
      // proxy in between might): reconnect after a moment.
      log('stream ended; reconnecting');
      await pause(backoff(1));
    } catch (error) {
      if (stopping) break;
      state.failures += 1;
      const wait = client.retryWait(error, state.failures);
      if (wait === null) rpcErrorExit(error, 'StreamAlerts');
      if (state.failures >= client.maxAttempts) {
        rpcErrorExit(error, `StreamAlerts (gave up after ${state.failures} failures in a row)`);
      }
      log(`StreamAlerts: ${codeName(error.code)} (${error.details}); reconnecting in ` +
          `${wait[0].toFixed(2)} s (${wait[1]}), failure ${state.failures} of ${client.maxAttempts}`);
      await pause(wait[0]);
    }
  }
  client.close();
  log(`stopped${request.resume_token ? `; resume_token saved in ${state.file}` : ''}`);
}

main();
