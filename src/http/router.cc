#include "http/router.h"

#include <boost/json/serialize.hpp>

namespace keel::http {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool matches(const Router::Route& r, const std::vector<std::string>& segs, std::map<std::string, std::string>* out) {
  if (r.segments.size() != segs.size()) return false;
  for (size_t i = 0; i < segs.size(); ++i) {
    const std::string& t = r.segments[i];
    if (t.size() > 2 && t.front() == '{' && t.back() == '}') {
      if (segs[i].empty()) return false;
      if (out) (*out)[t.substr(1, t.size() - 2)] = segs[i];
    } else if (t != segs[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

Response json_response(int status, const boost::json::value& v) {
  Response r;
  r.status = status;
  r.body = boost::json::serialize(v);
  return r;
}

void Router::add(std::string method, std::string path_template, Handler handler) {
  Route r{std::move(method), path_template, split_path(path_template), std::move(handler)};
  routes_.push_back(std::move(r));
}

Router::Match Router::match(Request& req, const Handler** handler) const {
  auto segs = split_path(req.path);
  bool path_seen = false;
  // Literal segments win over captures: try routes with fewer captures first.
  const Route* best = nullptr;
  int best_captures = 1 << 30;
  for (const Route& r : routes_) {
    if (!matches(r, segs, nullptr)) continue;
    path_seen = true;
    std::string m = req.method == "HEAD" ? "GET" : req.method;
    if (r.method != m) continue;
    int captures = 0;
    for (auto& s : r.segments)
      if (!s.empty() && s.front() == '{') ++captures;
    if (captures < best_captures) {
      best = &r;
      best_captures = captures;
    }
  }
  if (!best) return path_seen ? Match::no_method : Match::no_path;
  req.params.clear();
  matches(*best, segs, &req.params);
  req.route = best->path_template;
  *handler = &best->handler;
  return Match::found;
}

std::vector<std::string> Router::allowed_methods(const std::string& path) const {
  auto segs = split_path(path);
  std::vector<std::string> out;
  for (const Route& r : routes_)
    if (matches(r, segs, nullptr)) out.push_back(r.method);
  return out;
}

}  // namespace keel::http
