// What the three example programs share: the API loaded from the .proto
// files, the API key, a client per service, and the one retry policy of
// every unary call.
//
// Needs Node.js 18 or later and the packages of package.json
// (`npm ci` in this folder): @grpc/grpc-js (gRPC in plain JavaScript) and
// @grpc/proto-loader, which reads the .proto files at start, so nothing is
// generated and the client always matches the server's API.
//
// Environment (flags of the programs override it):
//   OPINIA_ADDR      server address, default 127.0.0.1:50051
//   OPINIA_KEY_FILE  file holding the API key (first line), or
//   OPINIA_KEY       the key itself. Never put a key on a command line: other
//                    users of the machine see it in `ps`, and shells keep it
//                    in their history.
//   OPINIA_PROTOS    folder holding opinia/v1/*.proto (default: ../../protos
//                    from this file, i.e. the repository's protos/)
'use strict';

const fs = require('fs');
const path = require('path');
const { parseArgs } = require('util');
const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');

const PROTOS = process.env.OPINIA_PROTOS || path.join(__dirname, '..', '..', 'protos');
// google/rpc/status.proto: Status and RetryInfo, read from error details.
const EXTRA_PROTOS = path.join(__dirname, '..', 'proto');
const PROGRAM = path.basename(process.argv[1] || 'node');

function fail(message) {
  process.stderr.write(`${PROGRAM}: ${message}\n`);
  process.exit(1);
}

// Progress and retries go to stderr; results go to stdout.
function log(message) {
  process.stderr.write(`${PROGRAM}: ${message}\n`);
}

// The opinia.v1 package as message and service definitions. Fields keep
// their .proto names (snake_case, as in the API docs), enums are their names
// ("P1"), 64-bit integers strings, absent fields their defaults.
function loadApi() {
  const dir = path.join(PROTOS, 'opinia', 'v1');
  let files;
  try {
    files = fs.readdirSync(dir).filter((f) => f.endsWith('.proto'));
  } catch (e) {
    fail(`no ${dir} (set OPINIA_PROTOS): ${e.message}`);
  }
  const definition = protoLoader.loadSync(files.map((f) => path.join('opinia', 'v1', f)), {
    includeDirs: [PROTOS],
    keepCase: true,
    longs: String,
    enums: String,
    defaults: true,
  });
  return { definition, v1: grpc.loadPackageDefinition(definition).opinia.v1 };
}

// The API key from OPINIA_KEY_FILE or OPINIA_KEY (never from argv).
function readKey() {
  const file = process.env.OPINIA_KEY_FILE;
  if (file) {
    let key;
    try {
      key = fs.readFileSync(file, 'utf8').split('\n')[0].trim();
    } catch (e) {
      fail(`OPINIA_KEY_FILE: ${e.message}`);
    }
    if (!key) fail(`OPINIA_KEY_FILE ${file} is empty`);
    return key;
  }
  const key = (process.env.OPINIA_KEY || '').trim();
  if (!key) fail('set OPINIA_KEY_FILE (a file holding the API key) or OPINIA_KEY');
  return key;
}

// The flags every program has, for util.parseArgs.
const CONNECTION_OPTIONS = {
  addr: { type: 'string', default: process.env.OPINIA_ADDR || '127.0.0.1:50051' },
  'tls-ca': { type: 'string' },               // trust this CA (PEM): TLS; else plaintext
  deadline: { type: 'string', default: '10' },  // seconds, per unary call
  'max-attempts': { type: 'string', default: '8' },
  help: { type: 'boolean', default: false },
};
const CONNECTION_HELP = `
  --addr=HOST:PORT      server (default $OPINIA_ADDR or 127.0.0.1:50051)
  --tls-ca=FILE         connect with TLS, trusting this CA certificate (PEM)
  --deadline=SECONDS    deadline of each unary call (default 10)
  --max-attempts=N      tries per call before giving up (default 8)
Key: $OPINIA_KEY_FILE (a file) or $OPINIA_KEY.`;

// Parses argv with the program's own options; prints `usage` for --help or
// a bad flag.
function parseFlags(options, usage, allowPositionals) {
  let parsed;
  try {
    parsed = parseArgs({
      options: { ...CONNECTION_OPTIONS, ...options },
      allowPositionals,
      strict: true,
    });
  } catch (e) {
    fail(`${e.message}\n${usage}${CONNECTION_HELP}`);
  }
  if (parsed.values.help) {
    process.stdout.write(`${usage}${CONNECTION_HELP}\n`);
    process.exit(0);
  }
  return parsed;
}

// Exponential back-off with jitter before try number attempt+1: half of the
// exponential delay fixed, half random ("equal jitter"), so that many
// clients cut off by the same restart do not all come back in the same
// instant, and no client retries at once. With the defaults the 7 waits of
// 8 tries add up to at least 11.9 s: enough for a server restart.
function backoff(attempt, base = 0.25, cap = 8) {
  const delay = Math.min(cap, base * 2 ** (attempt - 1));
  return delay / 2 + Math.random() * (delay / 2);
}

const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

// The name of a gRPC status code, e.g. 14 -> "UNAVAILABLE".
function codeName(code) {
  return Object.keys(grpc.status).find((k) => grpc.status[k] === code) || String(code);
}

class Client {
  constructor(values) {
    this.api = loadApi();
    this.metadata = new grpc.Metadata();
    this.metadata.set('authorization', `Bearer ${readKey()}`);
    this.deadlineSeconds = Number(values.deadline);
    if (!(this.deadlineSeconds > 0)) fail(`--deadline: not a positive number of seconds: ${values.deadline}`);
    this.maxAttempts = parseInt(values['max-attempts'], 10);
    if (!(this.maxAttempts >= 1)) fail(`--max-attempts: not a positive number: ${values['max-attempts']}`);
    const credentials = values['tls-ca']
      ? grpc.credentials.createSsl(fs.readFileSync(values['tls-ca']))
      : grpc.credentials.createInsecure();
    // gRPC reconnects a channel on its own, with a back-off that grows to two
    // minutes by default; capped here so that a server back after a restart
    // is found within a second or two by our own retries.
    const options = {
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 1000,
    };
    const v1 = this.api.v1;
    this.reviews = new v1.ReviewService(values.addr, credentials, options);
    // The same channel for both services.
    this.alerts = new v1.AlertService(values.addr, credentials,
      { ...options, channelOverride: this.reviews.getChannel() });
    const rpc = new protobuf.Root().loadSync(
      path.join(EXTRA_PROTOS, 'google', 'rpc', 'status.proto'), { keepCase: true });
    this.Status = rpc.lookupType('google.rpc.Status');
    this.RetryInfo = rpc.lookupType('google.rpc.RetryInfo');
  }

  // The field names of a message of opinia.v1, e.g. 'ReviewInput', by their
  // .proto name and their lowerCamel JSON name, both mapped to the .proto name.
  fieldNames(message) {
    const names = new Map();
    for (const f of this.api.definition[`opinia.v1.${message}`].type.field) {
      names.set(f.name, f.name);
      names.set(f.name.replace(/_([a-z0-9])/g, (m, c) => c.toUpperCase()), f.name);
    }
    return names;
  }

  // Checks a comma-separated list of names of the opinia.v1 enum `name`
  // (grpc-js would send an unknown name as 0, i.e. "any"); returns the list.
  enumList(name, text, flag) {
    const known = this.api.definition[`opinia.v1.${name}`].type.value.map((v) => v.name);
    const list = text.split(',').filter(Boolean);
    for (const v of list) {
      if (!known.includes(v)) fail(`${flag}: unknown ${name} ${v} (${known.slice(1).join(', ')})`);
    }
    return list;
  }

  // The server's RetryInfo delay in seconds, or null without one. Opinia
  // answers a call over the key's rate limit with RESOURCE_EXHAUSTED and a
  // google.rpc.Status in the trailing metadata `grpc-status-details-bin`
  // whose details hold a RetryInfo.
  retryDelay(error) {
    const raw = error.metadata && error.metadata.get('grpc-status-details-bin')[0];
    if (!raw) return null;
    const status = this.Status.decode(raw);
    for (const detail of status.details) {
      if (detail.type_url === 'type.googleapis.com/google.rpc.RetryInfo') {
        const info = this.RetryInfo.toObject(this.RetryInfo.decode(detail.value),
          { longs: Number, defaults: true });
        const d = info.retry_delay || { seconds: 0, nanos: 0 };
        return d.seconds + d.nanos / 1e9;
      }
    }
    return null;
  }

  // How long to wait before trying again after `error`: [seconds, why], or
  // null.
  //   UNAVAILABLE         the server is down, restarting or overloaded: wait
  //                       with exponential back-off and jitter, try again.
  //   RESOURCE_EXHAUSTED  only when it carries RetryInfo, i.e. the key's rate
  //                       limit: wait exactly the server's delay. This is a
  //                       retry on rate limiting, on purpose: the server says
  //                       when the call will be admitted. The same code
  //                       without RetryInfo (a batch or message over a limit,
  //                       too many open streams) would fail again: not retried.
  // Everything else is final: INVALID_ARGUMENT, UNAUTHENTICATED,
  // PERMISSION_DENIED ... do not go away by trying again, and
  // DEADLINE_EXCEEDED means the server is too slow for this deadline, where
  // retrying on our own only adds load (running the program again is safe:
  // ingest is idempotent).
  retryWait(error, attempt) {
    if (error.code === grpc.status.UNAVAILABLE) return [backoff(attempt), 'back-off'];
    if (error.code === grpc.status.RESOURCE_EXHAUSTED) {
      const delay = this.retryDelay(error);
      if (delay !== null) return [delay, "the server's RetryInfo"];
    }
    return null;
  }

  // Calls a unary method with a deadline, retrying as retryWait says, at most
  // --max-attempts tries in all. Resolves to the response; rejects with the
  // last error.
  //
  // Only calls that are safe to repeat may be passed here: a call that failed
  // with UNAVAILABLE may still have been carried out. ListReviews is, and so
  // is IngestReviews, because a review sent again with the same
  // source/external_id comes back UNCHANGED.
  async call(service, method, request, what) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await new Promise((resolve, reject) => {
          const deadline = Date.now() + this.deadlineSeconds * 1000;
          service[method](request, this.metadata, { deadline },
            (error, response) => (error ? reject(error) : resolve(response)));
        });
      } catch (error) {
        const wait = this.retryWait(error, attempt);
        if (wait === null) throw error;
        if (attempt >= this.maxAttempts) {
          log(`${what}: ${codeName(error.code)} (${error.details}); giving up after ` +
              `${attempt} attempts`);
          throw error;
        }
        log(`${what}: ${codeName(error.code)} (${error.details}); attempt ${attempt} of ` +
            `${this.maxAttempts}, retrying in ${wait[0].toFixed(2)} s (${wait[1]})`);
        await sleep(wait[0]);
      }
    }
  }

  close() {
    this.reviews.close();
  }
}

// Ends the program after a failed call, naming the code and message.
function rpcErrorExit(error, what) {
  if (error.code === undefined) throw error;  // not a gRPC error: a bug, show the stack
  fail(`${what}: ${codeName(error.code)}: ${error.details}`);
}

module.exports = { Client, parseFlags, fail, log, sleep, backoff, codeName, rpcErrorExit, grpc };
