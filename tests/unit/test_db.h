// A migrated SQLite database in a private temp directory, with the built-in roles and users and
// teams made on demand: for unit tests of the auth and service layers that need real SQL
// (scopes, lists, versioned writes) without a server.
#pragma once

#include <boost/json.hpp>
#include <memory>
#include <stdexcept>
#include <string>

#include "auth/permissions.h"
#include "auth/principal.h"
#include "core/ids.h"
#include "store/db.h"
#include "store/migrations.h"
#include "temp_dir.h"

namespace keel::testing {

class TestDb {
 public:
  TestDb() : db_(store::open_sqlite(dir_.file("keel.db"), 2)) {
    store::migrate(*db_);
    db_->write([](store::Tx& tx) {
      for (const auto& r : auth::builtin_roles())
        tx.query(
            "INSERT INTO roles (id, name, description, permissions, builtin, version, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, 1, 1, ?, ?)",
            {r.id, r.id, r.description, boost::json::serialize(r.permissions.to_json()), kEpoch, kEpoch});
    });
  }
  ~TestDb() { db_->close(); }
  TestDb(const TestDb&) = delete;
  TestDb& operator=(const TestDb&) = delete;

  store::Database& db() { return *db_; }

  std::string add_team(const std::string& name, const std::string& manager_id = "") {
    std::string id = new_uuid_v7();
    db_->write([&](store::Tx& tx) {
      tx.query("INSERT INTO teams (id, name, manager_id, version, created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)",
               {id, name, manager_id.empty() ? store::Value{} : store::Value{manager_id}, kEpoch, kEpoch});
    });
    return id;
  }

  // A user with a built-in role, in `team_id` (none if empty).
  std::string add_user(const std::string& role_id, const std::string& team_id = "") {
    std::string id = new_uuid_v7();
    db_->write([&](store::Tx& tx) {
      tx.query(
          "INSERT INTO users (id, email, name, password_hash, role_id, team_id, version, created_at, updated_at) "
          "VALUES (?, ?, ?, 'x', ?, ?, 1, ?, ?)",
          {id, id + "@example.com", "User " + id.substr(24), role_id,
           team_id.empty() ? store::Value{} : store::Value{team_id}, kEpoch, kEpoch});
    });
    return id;
  }

  // The principal of a user as the server builds it: the user's team and the role's permissions.
  auth::Principal principal(const std::string& user_id) {
    auth::Principal p;
    db_->read([&](store::Tx& tx) {
      auto row = tx.one("SELECT role_id, team_id FROM users WHERE id = ?", {user_id});
      if (!row) throw std::runtime_error("no such user " + user_id);
      p.user_id = user_id;
      p.role_id = row->text(0);
      p.team_id = row->is_null(1) ? "" : row->text(1);
    });
    p.time_zone = "UTC";
    for (const auto& r : auth::builtin_roles())
      if (r.id == p.role_id) p.perms = r.permissions;
    return p;
  }

 private:
  static constexpr const char* kEpoch = "2026-01-01T00:00:00.000Z";
  TempDir dir_;
  std::unique_ptr<store::Database> db_;
};

}  // namespace keel::testing
