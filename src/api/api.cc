#include "api/api.h"

#include <boost/json.hpp>
#include <chrono>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "api/problem.h"
#include "api/schema.h"
#include "core/ids.h"
#include "core/logging.h"
#include "core/text.h"
#include "service/idempotency.h"

namespace keel::api {
namespace json = boost::json;

// The token buckets of the rate limit. `buckets` is guarded by mu (check_rate holds it).
struct Api::RateState {
  std::mutex mu;
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  std::unordered_map<std::string, Bucket> buckets;  // guarded by mu
};

Api::Api(store::Database& db, service::AuthService& auth, ops::Metrics& metrics, ApiOptions options, const Clock& clock)
    : db_(db),
      auth_(auth),
      metrics_(metrics),
      records_(db),
      options_(std::move(options)),
      clock_(clock),
      rate_(std::make_shared<RateState>()) {
  // One clock per server: a test clock that moved only the API's time, and not the sign-in
  // checks', would test nothing.
  if (options_.test_clock && options_.test_clock != &clock_)
    throw std::logic_error("ApiOptions::test_clock must be the clock the Api is given");
  add_ops_routes(*this);
  add_auth_routes(*this);
  add_admin_routes(*this);
  add_lead_routes(*this);
  add_record_routes(*this);
  add_board_routes(*this);
  add_sync_routes(*this);
  add_bulk_routes(*this);
  add_export_routes(*this);
  add_log_routes(*this);
  add_meta_routes(*this);
  add_saved_view_routes(*this);
  add_openapi_route(*this);
  if (options_.test_clock) add_test_clock_routes(*this, *options_.test_clock);
  if (options_.backups) add_backup_routes(*this, *options_.backups);
  add_web_routes(*this);
  std::vector<std::string> labels = {"(unmatched)", "(web app)", "(method not allowed)"};
  for (const auto& r : router_.routes()) labels.push_back(r.path_template);
  metrics_.set_routes(std::move(labels));
}

http::Response Api::problem(const ApiError& e, const std::string& request_id) {
  json::object o;
  o["type"] = "https://keel.dev/problems/" + e.code();
  o["title"] = e.what();
  const int status = http_status(e.kind());
  o["status"] = status;
  o["code"] = e.code();
  o["request_id"] = request_id;
  if (!e.fields().empty()) o["errors"] = field_errors_json(e.fields());
  for (const auto& [k, v] : e.extra()) o[k] = v;
  http::Response r = http::json_response(status, o);
  r.content_type = "application/problem+json";
  if (auto it = e.extra().find("retry_after_seconds"); it != e.extra().end() && it->value().is_int64())
    r.set_header("Retry-After", std::to_string(it->value().as_int64()));
  // RFC 9110 section 11.6.1: a 401 names the scheme that would be accepted (RFC 6750 for bearer
  // tokens: error="invalid_token" when one was sent but is not valid).
  if (status == 401)
    r.set_header("WWW-Authenticate", e.code() == "invalid_token" ? "Bearer realm=\"keel\", error=\"invalid_token\""
                                                                 : "Bearer realm=\"keel\"");
  return r;
}

void Api::route(RouteSpec spec) {
  docs_.push_back(spec);
  const Access access = spec.access;
  router_.add(spec.method, spec.path, [this, access, h = std::move(spec.handler)](http::Request& req) {
    std::optional<auth::Principal> principal;
    if (access != Access::public_) {
      const std::string* authz = req.header("authorization");
      if (!authz || authz->size() < 8 || fold(authz->substr(0, 7)) != "bearer ")
        throw unauthorized("Send an Authorization: Bearer <token> header");
      principal = auth_.authenticate(std::string_view(*authz).substr(7));
      if (!principal)
        throw ApiError(ErrorKind::unauthenticated, "invalid_token",
                       "The token is unknown, expired or revoked; sign in again");
      if (access == Access::admin && !principal->is_admin()) throw forbidden("Administrators only");
      check_rate(principal->credential_id);
    }
    Call call{req, principal ? &*principal : nullptr, clock_};
    std::optional<service::IdempotentRequest> idem;
    if (req.method == "POST" && principal) {
      if (auto replay = replay_idempotent(call, idem)) return *replay;
    }
    http::Response r;
    try {
      r = h(call);
    } catch (...) {
      // Release the key so the client can retry after fixing the request.
      if (idem) service::release_idempotency_key(db_, *idem);
      throw;
    }
    if (idem) store_idempotent(*idem, r);
    return r;
  });
}

void Api::check_rate(const std::string& credential_id) {
  if (options_.rate_limit_per_minute <= 0) return;
  // Token bucket per credential: bursts up to a minute's allowance, refilled continuously.
  double cap = options_.rate_limit_per_minute;
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(rate_->mu);
  auto [it, fresh] = rate_->buckets.try_emplace(credential_id, RateState::Bucket{cap, now});
  auto& b = it->second;
  if (!fresh) {
    double elapsed = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(cap, b.tokens + elapsed * cap / 60.0);
    b.at = now;
  }
  if (b.tokens < 1.0) {
    ApiError e(ErrorKind::rate_limited, "rate_limited", "Too many requests; slow down");
    e.extra()["retry_after_seconds"] = static_cast<int64_t>(std::max(1.0, 60.0 / cap));
    throw e;
  }
  b.tokens -= 1.0;
  if (rate_->buckets.size() > 100000) rate_->buckets.clear();  // bound memory under token churn
}

std::optional<http::Response> Api::replay_idempotent(Call& call, std::optional<service::IdempotentRequest>& idem) {
  const std::string* k = call.req.header("idempotency-key");
  if (!k) return std::nullopt;
  if (k->empty() || k->size() > 200 || !is_valid_utf8(*k) || has_control_chars(*k, false))
    throw bad_request("invalid_idempotency_key", "Idempotency-Key must be 1 to 200 printable characters",
                      "Idempotency-Key");
  service::IdempotentRequest request{call.principal->user_id, *k, call.req.method, call.req.path,
                                     content_hash(call.req.method + " " + call.req.path + "\n" + call.req.body)};
  // A phone retrying while its first attempt is still being processed waits for that attempt's
  // answer (up to 5 s) instead of being told to come back: the usual case is a retry fired a
  // moment too early, and the first answer is then only milliseconds away.
  // The wait is real elapsed time (steady); the key's age, and so its window, is on the server's clock.
  constexpr auto kIdempotencyWait = std::chrono::seconds(5);
  const auto started = std::chrono::steady_clock::now();
  for (int poll = 0;; ++poll) {
    service::Claim claim = service::claim_idempotency_key(db_, request, clock_.now_ms(), poll == 0);
    if (claim.outcome == service::Claim::Outcome::claimed) {
      idem = std::move(request);  // this request runs and owns the key
      return std::nullopt;
    }
    if (claim.outcome == service::Claim::Outcome::finished) {
      http::Response r;
      r.status = claim.answer.status;
      r.body = std::move(claim.answer.body);
      boost::system::error_code ec;
      json::value meta = json::parse(claim.answer.meta, ec);
      if (!ec && meta.is_object()) {
        if (auto* ct = meta.as_object().if_contains("content_type"); ct && ct->is_string())
          r.content_type = std::string(ct->as_string());
        if (auto* hs = meta.as_object().if_contains("headers"); hs && hs->is_array())
          for (const auto& h : hs->as_array())
            if (h.is_array() && h.as_array().size() == 2 && h.as_array()[0].is_string() && h.as_array()[1].is_string())
              r.set_header(std::string(h.as_array()[0].as_string()), std::string(h.as_array()[1].as_string()));
      }
      r.set_header("Idempotent-Replayed", "true");
      return r;
    }
    if (std::chrono::steady_clock::now() - started >= kIdempotencyWait) {
      ApiError e = conflict("idempotency_in_progress", "The first request with this key is still being processed");
      e.extra()["retry_after_seconds"] = int64_t{1};
      throw e;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(10 + 10 * poll, 100)));
  }
}

void Api::store_idempotent(const service::IdempotentRequest& idem, const http::Response& r) {
  json::array headers;
  for (const auto& [name, value] : r.headers) headers.push_back(json::array{json::string(name), json::string(value)});
  std::string meta = json::serialize(json::object{{"content_type", r.content_type}, {"headers", headers}});
  service::finish_idempotency_key(db_, idem, {r.status, r.body, meta});
}

http::Response Api::dispatch(http::Request& req) {
  if (req.path == "\x01invalid")
    throw bad_request("invalid_url", "The request target is not a valid URL; percent-encode non-ASCII characters");
  const http::Handler* h = nullptr;
  switch (router_.match(req, &h)) {
    case http::Router::Match::found:
      return (*h)(req);
    case http::Router::Match::no_method: {
      req.route = "(method not allowed)";
      ApiError e(ErrorKind::method_not_allowed, "method_not_allowed", "This path does not support " + req.method);
      http::Response r = problem(e, req.request_id);
      std::string allow;
      for (const auto& m : router_.allowed_methods(req.path)) allow += (allow.empty() ? "" : ", ") + m;
      r.set_header("Allow", allow);
      return r;
    }
    case http::Router::Match::no_path:
      break;
  }
  if (web_fallback_ && (req.method == "GET" || req.method == "HEAD") && req.path.rfind("/api/", 0) != 0 &&
      req.path != "/api") {
    req.route = "(web app)";
    Call call{req, nullptr, clock_};
    return web_fallback_(call);
  }
  req.route = "(unmatched)";
  throw ApiError(ErrorKind::not_found, "no_such_route", "No such API endpoint: " + req.path);
}

http::Response Api::handle(http::Request& req) {
  auto start = std::chrono::steady_clock::now();
  metrics_.in_flight().Increment();
  const std::string* rid = req.header("x-request-id");
  req.request_id =
      (rid && !rid->empty() && rid->size() <= 100 && !has_control_chars(*rid, false) && is_valid_utf8(*rid))
          ? *rid
          : new_uuid_v7();
  http::Response r;
  try {
    r = dispatch(req);
  } catch (const ApiError& e) {
    r = problem(e, req.request_id);
  } catch (const store::DbError& e) {
    static const char* kinds[] = {"unique_violation", "foreign_key", "busy", "serialization",
                                  "connection",       "timeout",     "other"};
    metrics_.db_error(kinds[static_cast<int>(e.kind())]);
    logging::log(logging::LogLevel::error, "database error",
                 {{"request_id", req.request_id}, {"route", req.route}, {"error", e.what()}});
    if (e.kind() == store::DbError::Kind::unique_violation)
      r = problem(conflict("duplicate", "A record with the same unique value already exists"), req.request_id);
    else if (e.kind() == store::DbError::Kind::timeout) {
      r = problem(ApiError(ErrorKind::unavailable, "query_timeout",
                           "The request needed more database time than one request may take, and was stopped; "
                           "narrow the filters or search"),
                  req.request_id);
    } else if (e.kind() == store::DbError::Kind::busy || e.kind() == store::DbError::Kind::connection ||
               e.kind() == store::DbError::Kind::serialization) {
      ApiError a(ErrorKind::unavailable, "database_unavailable", "The database is busy or unreachable; retry shortly");
      a.extra()["retry_after_seconds"] = int64_t{1};
      r = problem(a, req.request_id);
    } else
      r = problem(
          ApiError(ErrorKind::internal, "internal_error", "Internal error; quote the request id when reporting it"),
          req.request_id);
  } catch (const std::exception& e) {
    logging::log(logging::LogLevel::error, "unhandled exception",
                 {{"request_id", req.request_id}, {"route", req.route}, {"error", e.what()}});
    r = problem(
        ApiError(ErrorKind::internal, "internal_error", "Internal error; quote the request id when reporting it"),
        req.request_id);
  }
  r.set_header("X-Request-Id", req.request_id);
  r.set_header("X-Content-Type-Options", "nosniff");
  // API answers hold customer data and credentials: no browser or proxy keeps a copy. Handlers
  // that serve cacheable content (the web app's assets) set their own policy.
  bool has_cache_control = false;
  for (const auto& [k, v] : r.headers) has_cache_control = has_cache_control || k == "Cache-Control";
  if (!has_cache_control) r.set_header("Cache-Control", "no-store");
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics_.in_flight().Decrement();
  metrics_.observe_request(req.method, req.route.empty() ? "(unmatched)" : req.route, r.status, secs);
  if (options_.access_log || r.status >= 500)
    logging::log(r.status >= 500 ? logging::LogLevel::error : logging::LogLevel::info, "request",
                 {{"request_id", req.request_id},
                  {"method", req.method},
                  {"route", req.route},
                  {"status", r.status},
                  {"ms", std::round(secs * 100000) / 100},
                  {"ip", req.remote_ip}});
  return r;
}

json::object parse_json_object(const http::Request& req) {
  const std::string* ct = req.header("content-type");
  // application/json or a structured +json type (application/merge-patch+json), with parameters.
  auto is_json_type = [](std::string t) {
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.pop_back();
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.erase(0, 1);
    for (char& ch : t) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return t == "application/json" ||
           (t.rfind("application/", 0) == 0 && t.size() > 5 && t.compare(t.size() - 5, 5, "+json") == 0);
  };
  if (!ct || !is_json_type(ct->substr(0, ct->find(';'))))
    throw ApiError(ErrorKind::unsupported_media_type, "unsupported_media_type", "Send the body as application/json");
  boost::system::error_code ec;
  json::parse_options opts;
  opts.max_depth = 32;
  json::value v = json::parse(req.body, ec, {}, opts);
  if (ec) throw bad_request("malformed_json", "The body is not valid JSON (UTF-8): " + ec.message());
  if (!v.is_object()) throw bad_request("malformed_json", "The body must be a JSON object");
  return std::move(v.as_object());
}

std::optional<int64_t> if_match_version(const http::Request& req) {
  const std::string* h = req.header("if-match");
  if (!h) return std::nullopt;
  std::string s = *h;
  if (s.rfind("W/", 0) == 0) s = s.substr(2);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos)
    throw bad_request("invalid_if_match", "If-Match must be the record's version, e.g. \"3\"", "If-Match");
  return std::stoll(s);
}

void allow_only(const http::Request& req, std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : req.query) {
    bool ok = false;
    for (auto a : allowed) ok = ok || a == k;
    if (!ok) throw bad_request("unknown_parameter", "Unknown query parameter: " + k, k);
  }
}

http::Response record_response(int status, const json::object& record) {
  http::Response r = http::json_response(status, record);
  if (auto it = record.find("version"); it != record.end() && it->value().is_int64())
    r.set_header("ETag", "\"" + std::to_string(it->value().as_int64()) + "\"");
  return r;
}

http::Response no_content() {
  http::Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

QueryParam documented(const IntParam& p) {
  json::object s = schema::integer(p.lo, p.hi);
  if (p.fallback) s["default"] = *p.fallback;
  return {p.name, std::move(s), p.description};
}

std::optional<int64_t> int_param(const http::Request& req, const IntParam& p) {
  for (const auto& [k, v] : req.query) {
    if (k != p.name) continue;
    try {
      size_t used = 0;
      long long n = std::stoll(v, &used);
      if (used != v.size() || n < p.lo || n > p.hi) throw std::out_of_range("range");
      return n;
    } catch (const std::exception&) {
      throw bad_request("invalid_parameter",
                        k + " must be a whole number from " + std::to_string(p.lo) + " to " + std::to_string(p.hi), k);
    }
  }
  return p.fallback;
}

}  // namespace keel::api
