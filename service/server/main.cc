// opinia-server: the Opinia gRPC server. See --help and README.md.
#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "service/server/app.h"
#include "service/server/log.h"
#include "service/server/options.h"
#include "service/server/secrets_key.h"

namespace {

// Accepts --flag-name as well as absl's --flag_name spelling.
std::vector<char*> NormalizeFlagNames(int argc, char** argv,
                                      std::vector<std::string>* storage) {
  storage->reserve(argc);
  std::vector<char*> out;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (i > 0 && arg.rfind("--", 0) == 0) {
      size_t end = arg.find('=');
      if (end == std::string::npos) end = arg.size();
      for (size_t j = 2; j < end; ++j) {
        if (arg[j] == '-') arg[j] = '_';
      }
    }
    storage->push_back(std::move(arg));
    out.push_back(storage->back().data());
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Opinia review-monitoring server: gRPC on --listen, the JSON API over "
      "HTTP and the dashboard on --http-listen (default 127.0.0.1:8080).\n"
      "  opinia-server --listen=127.0.0.1:50051 --db=data/opinia.db "
      "--bootstrap-admin-key-file=data/admin.key\n"
      "  opinia-server --db=postgresql://opinia@db.example:5432/opinia "
      "--secrets-key-file=/etc/opinia/secrets.key --db-pool-size=8\n"
      "  opinia-server --rotate-secrets-key --db=data/opinia.db "
      "--secrets-key-file=NEW --old-secrets-key-file=OLD");
  // Whatever the server creates (database, its -wal and -shm, key files,
  // folders) is its user's alone.
  umask(077);
  std::vector<std::string> storage;
  std::vector<char*> args = NormalizeFlagNames(argc, argv, &storage);
  absl::ParseCommandLine(static_cast<int>(args.size()), args.data());

  // Block the stop signals before any thread starts so that every thread
  // inherits the mask and sigwait() below receives them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);

  const opinia::server::Options options = opinia::server::OptionsFromFlags();
  opinia::server::LogFormat log_format;
  if (!opinia::server::ParseLogFormat(options.log_format, &log_format)) {
    std::fprintf(stderr, "opinia-server: --log-format must be text or json\n");
    return 2;
  }
  opinia::server::SetLogFormat(log_format);
  if (options.rotate_secrets_key) {
    // Interruptible: each page of rows is its own transaction, and a
    // second run finishes the job.
    pthread_sigmask(SIG_UNBLOCK, &stop, nullptr);
    if (absl::Status s = opinia::server::RotateSecretsKey(options); !s.ok()) {
      opinia::server::LogError("cannot rotate the secrets key",
                               {{"error", s.ToString()}});
      return 1;
    }
    return 0;
  }
  auto app = opinia::server::App::Start(options);
  if (!app.ok()) {
    opinia::server::LogError("cannot start",
                             {{"error", app.status().ToString()}});
    return 1;
  }
  int signal_number = 0;
  sigwait(&stop, &signal_number);
  opinia::server::LogInfo(
      "shutting down",
      {{"signal", strsignal(signal_number)},
       {"grace", absl::FormatDuration(options.shutdown_grace)}});
  (*app)->Shutdown(options.shutdown_grace);
  opinia::server::LogInfo("stopped");
  return 0;
}
