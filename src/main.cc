// The `keel` command: serve, migrate, user, backup, restore, check, version.
// Settings come from flags, else environment variables, else defaults (see README).
//
// main() reads the settings, declares the commands (add_*_command), rejects unknown command
// names, parses, and runs the one chosen (run_command); each command is one function.
#include <signal.h>
#include <sodium.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <boost/json.hpp>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <limits>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

#include "api/api.h"
#include "api/problem.h"
#include "auth/password.h"
#include "core/clock.h"
#include "core/ids.h"
#include "core/logging.h"
#include "http/server.h"
#include "ops/backup_runner.h"
#include "ops/maintenance.h"
#include "ops/metrics.h"
#include "service/sessions.h"
#include "service/sync.h"
#include "service/users.h"
#include "store/migrations.h"

namespace fs = std::filesystem;
using namespace keel;

namespace {

// ---- settings ----------------------------------------------------------------------------------

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

// One of `allowed` from the environment, or empty when unset; anything else is a clear error.
std::string env_choice(const char* name, const std::vector<std::string>& allowed) {
  std::string v = env_or(name, "");
  if (v.empty() || std::find(allowed.begin(), allowed.end(), v) != allowed.end()) return v;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  throw std::invalid_argument(std::string(name) + " must be one of " + list + " (it is \"" + v + "\")");
}

struct Settings {
  std::string host = env_or("KEEL_HOST", "127.0.0.1");
  int port = env_int("KEEL_PORT", 8080, 0, 65535);
  std::string data_dir = env_or("KEEL_DATA_DIR", "./data");
  std::string database_url = env_or("KEEL_DATABASE_URL", "");
  int threads =
      env_int("KEEL_THREADS", static_cast<int>(std::max(4u, 4 * std::thread::hardware_concurrency())), 1, 256);
  int read_timeout = env_int("KEEL_READ_TIMEOUT_SECONDS", 30, 1, 3600);
  int shutdown_delay = env_int("KEEL_SHUTDOWN_DELAY_SECONDS", 0, 0, 300);
  int statement_timeout_ms = env_int("KEEL_STATEMENT_TIMEOUT_MS", 10000, 0, 3'600'000);
  std::string log_level = env_or("KEEL_LOG_LEVEL", "info");
  std::string web_root = env_or("KEEL_WEB_ROOT", "web/dist");
  std::string admin_email = env_or("KEEL_ADMIN_EMAIL", "admin@keel.local");
  bool access_log = env_or("KEEL_ACCESS_LOG", "1") != "0";
  int rate_limit = env_int("KEEL_RATE_LIMIT_PER_MINUTE", 6000, 0, 10'000'000);
  std::string backup_dir = env_or("KEEL_BACKUP_DIR", "");  // default: DATA_DIR/backups
  int backup_keep = env_int("KEEL_BACKUP_KEEP", 14, 1, 10'000);
  int backup_interval_hours = env_int("KEEL_BACKUP_INTERVAL_HOURS", 24, 0, 8760);
  // The company's language, used once, when the database is created: the default pipeline's
  // names, the first admin's language and the demo company's data. Empty: English, and the
  // admin's language follows their browser.
  std::string locale = env_choice("KEEL_LOCALE", {"en", "zh-CN"});
  // Offline sync (service/sync.h): the working set's windows, when a device is stale, how long
  // superseded change-log entries and pushed mutations' answers are kept.
  int sync_activity_days = env_int("KEEL_SYNC_ACTIVITY_DAYS", 90, 1, 36500);
  int sync_done_task_days = env_int("KEEL_SYNC_DONE_TASK_DAYS", 30, 0, 36500);
  int sync_stale_days = env_int("KEEL_SYNC_STALE_DAYS", 30, 1, 36500);
  int change_log_retention_days = env_int("KEEL_CHANGE_LOG_RETENTION_DAYS", 90, 0, 36500);
  int sync_mutation_days = env_int("KEEL_SYNC_MUTATION_DAYS", 30, 1, 36500);
  // Tests only, never in production: the server's clock can be moved (api/test_api.cc).
  bool test_clock = env_int("KEEL_TEST_CLOCK", 0, 0, 1) == 1;

  std::string url() const {
    return database_url.empty() ? "sqlite:" + (fs::path(data_dir) / "keel.db").string() : database_url;
  }
  bool embedded() const { return database_url.empty() || database_url.rfind("sqlite:", 0) == 0; }
  std::string backups() const { return backup_dir.empty() ? (fs::path(data_dir) / "backups").string() : backup_dir; }
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

// ---- the command line --------------------------------------------------------------------------

// The subcommands and the values their arguments are parsed into (options that are settings go
// straight into Settings). Lives as long as the CLI::App that owns the subcommands.
struct Commands {
  CLI::App* serve = nullptr;
  bool demo = false;
  CLI::App* migrate = nullptr;
  int migrate_to = std::numeric_limits<int>::max();
  CLI::App* user = nullptr;
  CLI::App* user_add = nullptr;
  CLI::App* user_deactivate = nullptr;
  CLI::App* user_reset = nullptr;
  std::string email, name, role, password;
  CLI::App* backup = nullptr;
  CLI::App* restore = nullptr;
  CLI::App* check = nullptr;
  std::string file;
};

void add_serve_command(CLI::App& app, Settings& s, Commands& c) {
  auto* cmd = c.serve = app.add_subcommand("serve", "Run the server (migrates the database first)");
  cmd->add_option("--host", s.host, "Address to listen on [KEEL_HOST]");
  cmd->add_option("--port", s.port, "Port; 0 picks a free one [KEEL_PORT]")->check(CLI::Range(0, 65535));
  cmd->add_option("--threads", s.threads, "Request threads [KEEL_THREADS]")->check(CLI::Range(1, 256));
  cmd->add_option("--web-root", s.web_root, "Built web app directory [KEEL_WEB_ROOT]");
  cmd->add_option("--log-level", s.log_level, "debug, info, warn or error [KEEL_LOG_LEVEL]");
  cmd->add_option("--admin-email", s.admin_email, "Email of the first administrator [KEEL_ADMIN_EMAIL]");
  cmd->add_flag("--demo", c.demo, "Load a sample company on first start");
  cmd->add_option("--locale", s.locale,
                  "The company's language when the database is created: the default pipeline, the first admin's "
                  "language, the demo data; en or zh-CN [KEEL_LOCALE]; default: en")
      ->check(CLI::IsMember({"en", "zh-CN"}));
  cmd->add_option("--read-timeout", s.read_timeout,
                  "Seconds a client may stall mid-request [KEEL_READ_TIMEOUT_SECONDS]")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--shutdown-delay", s.shutdown_delay,
                  "Seconds between SIGTERM (readyz turns 503) and closing the listener [KEEL_SHUTDOWN_DELAY_SECONDS]")
      ->check(CLI::Range(0, 300));
  cmd->add_option("--statement-timeout-ms", s.statement_timeout_ms,
                  "Longest one database statement may run; 0 for no limit [KEEL_STATEMENT_TIMEOUT_MS]")
      ->check(CLI::Range(0, 3'600'000));
  cmd->add_option("--backup-dir", s.backup_dir,
                  "Where the server's own backups go (backup screen, schedule) [KEEL_BACKUP_DIR]; default: "
                  "DATA_DIR/backups");
  cmd->add_option("--backup-keep", s.backup_keep,
                  "Newest successful backups whose files are kept; older ones are deleted [KEEL_BACKUP_KEEP]")
      ->check(CLI::Range(1, 10'000));
  cmd->add_option("--backup-interval-hours", s.backup_interval_hours,
                  "Hours between scheduled backups; 0 for none [KEEL_BACKUP_INTERVAL_HOURS]")
      ->check(CLI::Range(0, 8760));
  cmd->add_flag("--test-clock", s.test_clock,
                "TESTS ONLY, never in production: loopback clients may move the server's clock through "
                "/api/v1/test/clock [KEEL_TEST_CLOCK=1]");
  add_db_options(cmd, s);
}

void add_user_commands(CLI::App& app, Settings& s, Commands& c) {
  c.user = app.add_subcommand("user", "Manage users from the command line");
  c.user->require_subcommand(1);
  add_db_options(c.user, s);
  c.user_add = c.user->add_subcommand("add", "Add a user; prints the generated password");
  c.user_add->add_option("email", c.email)->required();
  c.user_add->add_option("--name", c.name, "Display name (default: the email)");
  c.user_add->add_option("--role", c.role, "admin, manager, sales, support, read_only or a custom role id");
  add_db_options(c.user_add, s);
  c.user_deactivate =
      c.user->add_subcommand("deactivate", "Deactivate a user and revoke all their sessions and tokens");
  c.user_deactivate->add_option("email", c.email)->required();
  add_db_options(c.user_deactivate, s);
  c.user_reset = c.user->add_subcommand("reset-password",
                                        "Set a new password (generated unless --password) and sign the user out");
  c.user_reset->add_option("email", c.email)->required();
  c.user_reset->add_option("--password", c.password, "The new password (at least 10 characters)");
  add_db_options(c.user_reset, s);
}

void add_migrate_command(CLI::App& app, Settings& s, Commands& c) {
  c.migrate = app.add_subcommand("migrate", "Apply pending schema migrations and exit");
  // Upgrade tests stop before a migration to write data as the older schema held it.
  c.migrate->add_option("--to", c.migrate_to, "Stop at this schema version (default: the latest)")
      ->check(CLI::PositiveNumber);
  add_db_options(c.migrate, s);
}

void add_maintenance_commands(CLI::App& app, Settings& s, Commands& c) {
  c.backup = app.add_subcommand("backup", "Write a consistent backup while the server runs");
  c.backup->add_option("file", c.file, "Backup file to create")->required();
  add_db_options(c.backup, s);
  c.restore = app.add_subcommand("restore", "Replace the database with a backup (server stopped)");
  c.restore->add_option("file", c.file, "Backup file")->required();
  add_db_options(c.restore, s);
  c.check = app.add_subcommand("check", "Verify database integrity and references");
  add_db_options(c.check, s);
  app.add_subcommand("version", "Print the version");
}

// The first word from `at` that is not an option (or an option's value), if it names no
// subcommand of `parent`.
std::optional<std::string> unknown_command(CLI::App* parent, int at, int argc, char** argv) {
  while (at < argc && argv[at][0] == '-') {
    std::string opt = argv[at];
    bool takes_value = opt.find('=') == std::string::npos && opt != "--help" && opt != "-h";
    at += takes_value ? 2 : 1;
  }
  if (at >= argc) return std::nullopt;
  for (auto* sub : parent->get_subcommands({}))
    if (sub->check_name(argv[at])) return std::nullopt;
  return std::string(argv[at]);
}

// Names an unknown command instead of CLI11's generic "a subcommand is required". False if the
// command line was rejected (and said why on stderr).
bool commands_known(CLI::App& app, const Commands& c, int argc, char** argv) {
  if (argc > 1 && argv[1][0] != '-') {
    if (auto bad = unknown_command(&app, 1, argc, argv)) {
      std::cerr << "keel: unknown command '" << *bad << "'; run keel --help\n";
      return false;
    }
  }
  if (argc > 2 && c.user->check_name(argv[1])) {
    if (auto bad = unknown_command(c.user, 2, argc, argv)) {
      std::cerr << "keel user: unknown command '" << *bad << "'; use add, deactivate or reset-password\n";
      return false;
    }
  }
  return true;
}

// ---- serve -------------------------------------------------------------------------------------

// Migrates, makes sure the built-in roles and a first administrator exist, loads the demo
// company if asked. Returns the first administrator's email and password if it was created now.
std::optional<std::pair<std::string, std::string>> prepare_database(store::Database& db, const Settings& s, bool demo) {
  int applied = store::migrate(db);
  if (applied)
    logging::log(logging::LogLevel::info, "schema migrated",
                 {{"applied", applied}, {"version", store::latest_schema_version()}});
  auto admin = service::bootstrap(db, s.admin_email, s.locale);
  if (demo) {
    int n = ops::load_demo_data(db, s.locale.empty() ? "en" : s.locale);
    if (n) logging::log(logging::LogLevel::info, "demo data loaded", {{"records", n}});
  }
  // From here on no statement may hold the database longer than this (migrations, above, may).
  db.set_statement_timeout(s.statement_timeout_ms);
  return admin;
}

// Loudly, on stderr and in the log: a server whose clock anyone on the machine can move must
// never be mistaken for a production one.
void warn_test_clock() {
  std::cerr << "keel: WARNING: --test-clock (KEEL_TEST_CLOCK=1): clients on this machine can move the server's "
               "clock through /api/v1/test/clock. For tests only; never use it in production.\n";
  logging::log(logging::LogLevel::warn,
               "test clock on: loopback clients can move the server's clock (/api/v1/test/clock); for tests only, "
               "never in production",
               {{"setting", "KEEL_TEST_CLOCK"}});
}

http::Server::ErrorPage parser_error_page() {
  return [](int status, const std::string& code, const std::string& message) {
    // Requests the HTTP parser rejected never reach the API, but their answers still carry a
    // request id, as every other answer does.
    std::string request_id = new_uuid_v7();
    http::Response r = api::Api::problem(ApiError(api::kind_for_status(status), code, message), request_id);
    r.set_header("X-Request-Id", request_id);
    r.set_header("X-Content-Type-Options", "nosniff");
    return r;
  };
}

// What a person (and the test harness, which reads "listening on" and the admin's password)
// sees when the server is up.
void print_banner(const Settings& s, uint16_t port, const store::Database& db,
                  const std::optional<std::pair<std::string, std::string>>& admin, bool demo) {
  std::string url =
      "http://" + (s.host.find(':') != std::string::npos ? "[" + s.host + "]" : s.host) + ":" + std::to_string(port);
  std::cout << "Keel " << KEEL_VERSION << " is running at " << url << "/\n"
            << "  database: " << db.describe() << "\n";
  if (admin)
    std::cout << "  first administrator created (shown once; change it after signing in):\n"
              << "    email:    " << admin->first << "\n"
              << "    password: " << admin->second << "\n";
  if (demo)
    std::cout << "  demo users (password demo-password-1): manager@demo.keel, wang.wei@demo.keel, emma@demo.keel, "
                 "support@demo.keel\n";
  std::cout << "listening on " << url << std::endl;
}

// Serves until SIGTERM or SIGINT. Signals are handled on a thread of their own, so the stop
// sequence can block while the I/O threads finish the requests in flight. `signals` must have
// been blocked (pthread_sigmask) before any other thread started.
void serve_until_signalled(http::Server& server, api::Api& api, const sigset_t& signals, int shutdown_delay) {
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    logging::log(logging::LogLevel::info, "shutting down", {{"signal", sig}});
    // /readyz answers 503 from now on; with a delay, the listener stays open that long so a load
    // balancer polling /readyz stops sending before connections are refused.
    api.set_draining();
    if (shutdown_delay > 0) std::this_thread::sleep_for(std::chrono::seconds(shutdown_delay));
    server.stop();
  });
  server.run();
  // If run() returned for another reason, release the signal thread.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
}

ops::BackupSettings backup_settings(const Settings& s) {
  ops::BackupSettings b;
  b.dir = s.backups();
  b.keep = s.backup_keep;
  b.interval_ms = int64_t{s.backup_interval_hours} * 3'600'000;
  char host[256] = {};
  b.server = ::gethostname(host, sizeof host - 1) == 0 && host[0] ? host : "keel";
  return b;
}

service::SyncSettings sync_settings(const Settings& s) {
  return {.activity_days = s.sync_activity_days,
          .done_task_days = s.sync_done_task_days,
          .stale_days = s.sync_stale_days,
          .retention_days = s.change_log_retention_days,
          .mutation_days = s.sync_mutation_days};
}

// Change-log retention, every hour (service::compact; several servers running it at once only
// repeat each other's deletes).
std::jthread compaction_schedule(store::Database& db, const service::SyncSettings& settings, const Clock& clock) {
  return std::jthread([&db, settings, &clock](std::stop_token stop) {
    std::mutex m;
    std::condition_variable_any cv;
    for (;;) {
      std::unique_lock lk(m);
      if (cv.wait_for(lk, stop, std::chrono::hours(1), [] { return false; }) || stop.stop_requested()) return;
      try {
        service::CompactionReport r = service::compact(db, settings, clock.now_ms());
        logging::log(logging::LogLevel::info, "change log compacted",
                     {{"entries_removed", r.log_entries_removed},
                      {"devices_expired", r.devices_expired},
                      {"mutations_removed", r.mutations_removed}});
      } catch (const std::exception& e) {
        logging::log(logging::LogLevel::error, "change log compaction failed", {{"error", e.what()}});
      }
    }
  });
}

int run_serve(const Settings& s, bool demo) {
  logging::init_logging(logging::parse_log_level(s.log_level));
  if (s.test_clock) warn_test_clock();
  std::unique_ptr<ops::DataDirLock> lock;
  if (s.database_url.empty()) lock = std::make_unique<ops::DataDirLock>(s.data_dir);
  auto db = open_db(s, s.threads);
  auto admin = prepare_database(*db, s, demo);

  // One clock for the whole server: the system's, or with --test-clock one tests can move.
  OffsetClock test_clock;
  const Clock& clock = s.test_clock ? static_cast<const Clock&>(test_clock) : system_clock();
  ops::Metrics metrics;
  service::AuthService auth(*db, {}, clock);
  ops::BackupRunner backups(*db, s.url(), backup_settings(s), clock);
  api::ApiOptions options{s.web_root, s.access_log, s.rate_limit};
  if (s.test_clock) options.test_clock = &test_clock;
  options.backups = &backups;
  options.sync = sync_settings(s);
  api::Api api(*db, auth, metrics, options, clock);

  http::ServerOptions so;
  so.host = s.host;
  so.port = static_cast<uint16_t>(s.port);
  so.threads = s.threads;
  so.read_timeout_seconds = s.read_timeout;
  http::Server server(
      so, [&api](http::Request& r) { return api.handle(r); }, parser_error_page());

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  uint16_t port = server.listen();
  print_banner(s, port, *db, admin, demo);
  backups.start_schedule();
  std::jthread compactor = compaction_schedule(*db, options.sync, clock);
  serve_until_signalled(server, api, signals, s.shutdown_delay);
  compactor.request_stop();
  compactor.join();
  backups.stop();  // a backup in progress finishes first
  db->close();
  logging::log(logging::LogLevel::info, "stopped", {});
  return 0;
}

// ---- the other commands ------------------------------------------------------------------------

int run_version() {
  std::cout << "keel " << KEEL_VERSION << " (schema " << store::latest_schema_version() << ")\n";
  return 0;
}

int run_migrate(const Settings& s, int to) {
  auto db = open_db(s, 1);
  int n = store::migrate(*db, to);
  std::cout << "applied " << n << " migration(s); schema version " << store::schema_version(*db) << "\n";
  return 0;
}

int run_backup(const Settings& s, const std::string& file) {
  ops::backup(s.url(), file);
  std::cout << "backup written to " << file << "\n";
  return 0;
}

int run_restore(const Settings& s, const std::string& file) {
  ops::restore(s.url(), file);
  std::cout << "restored " << file << " into " << s.url() << "; run keel check to verify\n";
  return 0;
}

int run_check(const Settings& s) {
  auto db = ops::open_existing(s.url());
  auto problems = ops::check(*db);
  for (const auto& p : problems) std::cout << "problem: " << p << "\n";
  std::cout << (problems.empty() ? "ok: no problems found" : std::to_string(problems.size()) + " problem(s) found")
            << "\n";
  return problems.empty() ? 0 : 1;
}

// The command line makes its changes through the API's own service calls (the same bodies,
// checks, permission test and audit entries), as command_line_principal() with request id "cli".
void user_add(store::Database& db, const service::Context& cli, const Commands& c) {
  boost::json::object body{{"email", c.email}, {"name", c.name.empty() ? c.email : c.name}};
  if (!c.role.empty()) body["role_id"] = c.role;
  boost::json::object u;
  db.write([&](store::Tx& tx) { u = service::create_user(tx, cli, body); });
  // Plain text, ready to copy (a json::string would print with quotes).
  std::cout << "added " << std::string(u["email"].as_string()) << " (role " << std::string(u["role_id"].as_string())
            << ")\n"
            << "password: " << std::string(u["initial_password"].as_string()) << "\n";
}

void user_deactivate(store::Database& db, const service::Context& cli, const Commands& c) {
  db.write([&](store::Tx& tx) {
    service::update_user(tx, cli, service::user_id_for_email(tx, c.email), boost::json::object{{"active", false}});
  });
  std::cout << "deactivated " << c.email << "; all sessions and tokens revoked\n";
}

void user_reset_password(store::Database& db, const service::Context& cli, const Commands& c) {
  std::string pw;
  db.write([&](store::Tx& tx) {
    pw = service::reset_password(tx, cli, service::user_id_for_email(tx, c.email), c.password);
  });
  std::cout << "password for " << c.email << ": " << pw << "\n";
}

int run_user(const Settings& s, const Commands& c) {
  auto db = open_db(s, 1);
  store::migrate(*db);
  service::bootstrap(*db, s.admin_email, s.locale);
  const service::Context cli{service::command_line_principal(), "cli"};
  if (*c.user_add)
    user_add(*db, cli, c);
  else if (*c.user_deactivate)
    user_deactivate(*db, cli, c);
  else if (*c.user_reset)
    user_reset_password(*db, cli, c);
  return 0;
}

// Runs the parsed command; its errors are reported on stderr with exit status 1.
int run_command(CLI::App& app, Settings& s, const Commands& c) {
  try {
    if (*c.serve) return run_serve(s, c.demo);
    if (app.got_subcommand("version")) return run_version();
    if (*c.migrate) return run_migrate(s, c.migrate_to);
    if (*c.backup) return run_backup(s, c.file);
    if (*c.restore) return run_restore(s, c.file);
    if (*c.check) return run_check(s);
    if (*c.user) return run_user(s, c);
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
  CLI::App app{"Keel CRM server"};
  app.require_subcommand(1);
  Commands commands;
  add_serve_command(app, *settings, commands);
  add_migrate_command(app, *settings, commands);
  add_user_commands(app, *settings, commands);
  add_maintenance_commands(app, *settings, commands);
  if (!commands_known(app, commands, argc, argv)) return 2;
  CLI11_PARSE(app, argc, argv);
  return run_command(app, *settings, commands);
}
