// The `keel` command: serve, migrate, user, backup, restore, check, version.
// Settings come from flags, else environment variables, else defaults (see README).
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <thread>

#include <boost/json.hpp>
#include <sodium.h>

#include "api/api.h"
#include "core/ids.h"
#include "auth/password.h"
#include "auth/sessions.h"
#include "http/server.h"
#include "ops/logging.h"
#include "ops/maintenance.h"
#include "ops/metrics.h"
#include "service/users.h"
#include "store/migrations.h"

namespace fs = std::filesystem;
using namespace keel;

namespace {

std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

// A whole number from the environment; a malformed value is a clear error, not a crash.
int env_int(const char* name, int fallback, int lo, int hi) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  try {
    size_t used = 0;
    int n = std::stoi(v, &used);
    if (used == std::string(v).size() && n >= lo && n <= hi) return n;
  } catch (const std::exception&) {
  }
  throw std::invalid_argument(std::string(name) + " must be a whole number from " + std::to_string(lo) + " to " +
                              std::to_string(hi) + " (it is \"" + v + "\")");
}

struct Settings {
  std::string host = env_or("KEEL_HOST", "127.0.0.1");
  int port = env_int("KEEL_PORT", 8080, 0, 65535);
  std::string data_dir = env_or("KEEL_DATA_DIR", "./data");
  std::string database_url = env_or("KEEL_DATABASE_URL", "");
  int threads = env_int("KEEL_THREADS", static_cast<int>(std::max(4u, 4 * std::thread::hardware_concurrency())), 1, 256);
  int read_timeout = env_int("KEEL_READ_TIMEOUT_SECONDS", 30, 1, 3600);
  int shutdown_delay = env_int("KEEL_SHUTDOWN_DELAY_SECONDS", 0, 0, 300);
  int statement_timeout_ms = env_int("KEEL_STATEMENT_TIMEOUT_MS", 10000, 0, 3'600'000);
  std::string log_level = env_or("KEEL_LOG_LEVEL", "info");
  std::string web_root = env_or("KEEL_WEB_ROOT", "web/dist");
  std::string admin_email = env_or("KEEL_ADMIN_EMAIL", "admin@keel.local");
  bool access_log = env_or("KEEL_ACCESS_LOG", "1") != "0";
  int rate_limit = env_int("KEEL_RATE_LIMIT_PER_MINUTE", 6000, 0, 10'000'000);

  std::string url() const {
    return database_url.empty() ? "sqlite:" + (fs::path(data_dir) / "keel.db").string() : database_url;
  }
  bool embedded() const { return database_url.empty() || database_url.rfind("sqlite:", 0) == 0; }
};

void add_db_options(CLI::App* cmd, Settings& s) {
  cmd->add_option("--data-dir", s.data_dir, "Directory for the embedded SQLite database [KEEL_DATA_DIR]");
  cmd->add_option("--database-url", s.database_url,
                  "postgresql://user:pass@host:port/db, or sqlite:PATH [KEEL_DATABASE_URL]; default: DATA_DIR/keel.db");
}

std::unique_ptr<store::Database> open_db(const Settings& s, int pool) {
  if (s.embedded() && s.database_url.empty()) fs::create_directories(s.data_dir);
  return store::Database::open(s.url(), pool);
}

int serve(Settings& s, bool demo) {
  ops::init_logging(ops::parse_log_level(s.log_level));
  std::unique_ptr<ops::DataDirLock> lock;
  if (s.database_url.empty()) lock = std::make_unique<ops::DataDirLock>(s.data_dir);
  auto db = open_db(s, s.threads);
  int applied = store::migrate(*db);
  if (applied) ops::log(ops::LogLevel::info, "schema migrated", {{"applied", applied}, {"version", store::latest_schema_version()}});
  auto admin = service::bootstrap(*db, s.admin_email);
  if (demo) {
    int n = ops::load_demo_data(*db);
    if (n) ops::log(ops::LogLevel::info, "demo data loaded", {{"records", n}});
  }
  // From here on no statement may hold the database longer than this (migrations, above, may).
  db->set_statement_timeout(s.statement_timeout_ms);
  ops::Metrics metrics;
  auth::AuthService auth(*db, {});
  api::Api api(*db, auth, metrics, {s.web_root, s.access_log, s.rate_limit});
  http::ServerOptions so;
  so.host = s.host;
  so.port = static_cast<uint16_t>(s.port);
  so.threads = s.threads;
  so.read_timeout_seconds = s.read_timeout;
  http::Server server(so, [&api](http::Request& r) { return api.handle(r); },
                      [](int status, const std::string& code, const std::string& message) {
                        // Requests the HTTP parser rejected never reach the API, but their
                        // answers still carry a request id, as every other answer does.
                        std::string request_id = new_uuid_v7();
                        http::Response r = api::Api::problem(ApiError(status, code, message), request_id);
                        r.set_header("X-Request-Id", request_id);
                        r.set_header("X-Content-Type-Options", "nosniff");
                        return r;
                      });

  // Signals are handled on a thread of their own, so the stop sequence can block while the I/O
  // threads finish the requests in flight.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  uint16_t port = server.listen();
  std::string url = "http://" + (s.host.find(':') != std::string::npos ? "[" + s.host + "]" : s.host) + ":" + std::to_string(port);
  std::cout << "Keel " << KEEL_VERSION << " is running at " << url << "/\n"
            << "  database: " << db->describe() << "\n";
  if (admin)
    std::cout << "  first administrator created (shown once; change it after signing in):\n"
              << "    email:    " << admin->first << "\n"
              << "    password: " << admin->second << "\n";
  if (demo) std::cout << "  demo users (password demo-password-1): manager@demo.keel, wang.wei@demo.keel, emma@demo.keel, support@demo.keel\n";
  std::cout << "listening on " << url << std::endl;

  std::thread signals([&] {
    int sig = 0;
    sigwait(&set, &sig);
    ops::log(ops::LogLevel::info, "shutting down", {{"signal", sig}});
    // /readyz answers 503 from now on; with a delay, the listener stays open that long so a load
    // balancer polling /readyz stops sending before connections are refused.
    api.set_draining();
    if (s.shutdown_delay > 0) std::this_thread::sleep_for(std::chrono::seconds(s.shutdown_delay));
    server.stop();
  });
  server.run();
  // If run() returned for another reason, release the signal thread.
  pthread_kill(signals.native_handle(), SIGTERM);
  signals.join();
  db->close();
  ops::log(ops::LogLevel::info, "stopped", {});
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (sodium_init() < 0) {
    std::cerr << "libsodium failed to initialise\n";
    return 1;
  }
  if (env_or("KEEL_FAST_PASSWORD_HASH", "0") == "1") auth::set_hash_cost(auth::HashCost::minimal);
  std::optional<Settings> settings;
  try {
    settings.emplace();
  } catch (const std::exception& e) {
    std::cerr << "keel: " << e.what() << "\n";
    return 2;
  }
  Settings& s = *settings;
  CLI::App app{"Keel CRM server"};
  app.require_subcommand(1);

  auto* serve_cmd = app.add_subcommand("serve", "Run the server (migrates the database first)");
  bool demo = false;
  serve_cmd->add_option("--host", s.host, "Address to listen on [KEEL_HOST]");
  serve_cmd->add_option("--port", s.port, "Port; 0 picks a free one [KEEL_PORT]")->check(CLI::Range(0, 65535));
  serve_cmd->add_option("--threads", s.threads, "Request threads [KEEL_THREADS]")->check(CLI::Range(1, 256));
  serve_cmd->add_option("--web-root", s.web_root, "Built web app directory [KEEL_WEB_ROOT]");
  serve_cmd->add_option("--log-level", s.log_level, "debug, info, warn or error [KEEL_LOG_LEVEL]");
  serve_cmd->add_option("--admin-email", s.admin_email, "Email of the first administrator [KEEL_ADMIN_EMAIL]");
  serve_cmd->add_flag("--demo", demo, "Load a sample company on first start");
  serve_cmd->add_option("--read-timeout", s.read_timeout, "Seconds a client may stall mid-request [KEEL_READ_TIMEOUT_SECONDS]")
      ->check(CLI::Range(1, 3600));
  serve_cmd->add_option("--shutdown-delay", s.shutdown_delay,
                        "Seconds between SIGTERM (readyz turns 503) and closing the listener [KEEL_SHUTDOWN_DELAY_SECONDS]")
      ->check(CLI::Range(0, 300));
  serve_cmd->add_option("--statement-timeout-ms", s.statement_timeout_ms,
                        "Longest one database statement may run; 0 for no limit [KEEL_STATEMENT_TIMEOUT_MS]")
      ->check(CLI::Range(0, 3'600'000));
  add_db_options(serve_cmd, s);

  auto* migrate_cmd = app.add_subcommand("migrate", "Apply pending schema migrations and exit");
  add_db_options(migrate_cmd, s);

  auto* user_cmd = app.add_subcommand("user", "Manage users from the command line");
  user_cmd->require_subcommand(1);
  add_db_options(user_cmd, s);
  std::string email, name = "", role, password;
  auto* user_add = user_cmd->add_subcommand("add", "Add a user; prints the generated password");
  user_add->add_option("email", email)->required();
  user_add->add_option("--name", name, "Display name (default: the email)");
  user_add->add_option("--role", role, "admin, manager, sales, support, read_only or a custom role id");
  add_db_options(user_add, s);
  auto* user_deactivate = user_cmd->add_subcommand("deactivate", "Deactivate a user and revoke all their sessions and tokens");
  user_deactivate->add_option("email", email)->required();
  add_db_options(user_deactivate, s);
  auto* user_reset = user_cmd->add_subcommand("reset-password", "Set a new password (generated unless --password) and sign the user out");
  user_reset->add_option("email", email)->required();
  user_reset->add_option("--password", password, "The new password (at least 10 characters)");
  add_db_options(user_reset, s);

  std::string file;
  auto* backup_cmd = app.add_subcommand("backup", "Write a consistent backup while the server runs");
  backup_cmd->add_option("file", file, "Backup file to create")->required();
  add_db_options(backup_cmd, s);
  auto* restore_cmd = app.add_subcommand("restore", "Replace the database with a backup (server stopped)");
  restore_cmd->add_option("file", file, "Backup file")->required();
  add_db_options(restore_cmd, s);
  auto* check_cmd = app.add_subcommand("check", "Verify database integrity and references");
  add_db_options(check_cmd, s);
  app.add_subcommand("version", "Print the version");

  // Name an unknown command instead of CLI11's generic "a subcommand is required".
  // The first word from `at` that is not an option (or an option's value) must name a subcommand.
  auto unknown_command = [](CLI::App* parent, int at, int argc_, char** argv_) -> std::optional<std::string> {
    while (at < argc_ && argv_[at][0] == '-') {
      std::string opt = argv_[at];
      bool takes_value = opt.find('=') == std::string::npos && opt != "--help" && opt != "-h";
      at += takes_value ? 2 : 1;
    }
    if (at >= argc_) return std::nullopt;
    for (auto* sub : parent->get_subcommands({}))
      if (sub->check_name(argv_[at])) return std::nullopt;
    return std::string(argv_[at]);
  };
  if (argc > 1 && argv[1][0] != '-') {
    if (auto bad = unknown_command(&app, 1, argc, argv)) {
      std::cerr << "keel: unknown command '" << *bad << "'; run keel --help\n";
      return 2;
    }
  }
  if (argc > 2 && user_cmd->check_name(argv[1])) {
    if (auto bad = unknown_command(user_cmd, 2, argc, argv)) {
      std::cerr << "keel user: unknown command '" << *bad << "'; use add, deactivate or reset-password\n";
      return 2;
    }
  }
  CLI11_PARSE(app, argc, argv);

  try {
    if (*serve_cmd) return serve(s, demo);
    if (app.got_subcommand("version")) {
      std::cout << "keel " << KEEL_VERSION << " (schema " << store::latest_schema_version() << ")\n";
      return 0;
    }
    if (*migrate_cmd) {
      auto db = open_db(s, 1);
      int n = store::migrate(*db);
      std::cout << "applied " << n << " migration(s); schema version " << store::schema_version(*db) << "\n";
      return 0;
    }
    if (*backup_cmd) {
      ops::backup(s.url(), file);
      std::cout << "backup written to " << file << "\n";
      return 0;
    }
    if (*restore_cmd) {
      ops::restore(s.url(), file);
      std::cout << "restored " << file << " into " << s.url() << "; run keel check to verify\n";
      return 0;
    }
    if (*check_cmd) {
      auto db = ops::open_existing(s.url());
      auto problems = ops::check(*db);
      for (const auto& p : problems) std::cout << "problem: " << p << "\n";
      std::cout << (problems.empty() ? "ok: no problems found" : std::to_string(problems.size()) + " problem(s) found") << "\n";
      return problems.empty() ? 0 : 1;
    }
    if (*user_cmd) {
      auto db = open_db(s, 1);
      store::migrate(*db);
      service::bootstrap(*db, s.admin_email);
      // Through the same services as the API, audited as the command line.
      const service::Context cli{service::command_line_principal(), "cli"};
      if (*user_add) {
        boost::json::object u;
        db->write([&](store::Tx& tx) {
          service::NewUser nu;
          nu.email = email;
          nu.name = name.empty() ? email : name;
          nu.role_id = role;
          u = service::create_user(tx, &cli, nu);
        });
        // Plain text, ready to copy (a json::string would print with quotes).
        std::cout << "added " << std::string(u["email"].as_string()) << " (role "
                  << std::string(u["role_id"].as_string()) << ")\n"
                  << "password: " << std::string(u["initial_password"].as_string()) << "\n";
      } else if (*user_deactivate) {
        db->write([&](store::Tx& tx) { service::deactivate_user(tx, cli, email); });
        std::cout << "deactivated " << email << "; all sessions and tokens revoked\n";
      } else if (*user_reset) {
        std::string pw;
        db->write([&](store::Tx& tx) { pw = service::reset_password(tx, email, password); });
        std::cout << "password for " << email << ": " << pw << "\n";
      }
      return 0;
    }
  } catch (const ApiError& e) {
    std::cerr << "error: " << e.what();
    for (const auto& f : e.fields()) std::cerr << " [" << f.field << ": " << f.message << "]";
    std::cerr << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
