#include "http/router.h"

#include <algorithm>
#include <boost/json/serialize.hpp>

namespace keel::http {
namespace {

bool is_capture(const std::string& seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }

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
    if (is_capture(t)) {
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

namespace {

// True if template a is more specific than b (both matching the same path): at the first
// segment where they differ in kind, a has the literal. "/accounts/export" beats
// "/accounts/{id}", so "export" is never taken for an id, whatever the method.
bool more_specific(const Router::Route& a, const Router::Route& b) {
  for (size_t i = 0; i < a.segments.size() && i < b.segments.size(); ++i) {
    bool ca = is_capture(a.segments[i]), cb = is_capture(b.segments[i]);
    if (ca != cb) return cb;
  }
  return false;
}

}  // namespace

const Router::Route* Router::best_path(const std::vector<std::string>& segs) const {
  const Route* best = nullptr;
  for (const Route& r : routes_)
    if (matches(r, segs, nullptr) && (!best || more_specific(r, *best))) best = &r;
  return best;
}

Router::Match Router::match(Request& req, const Handler** handler) const {
  auto segs = split_path(req.path);
  // The path is routed to one template, the most specific that matches; only that template's
  // methods are candidates, so a method missing there is 405, never a less specific route.
  const Route* path = best_path(segs);
  if (!path) return Match::no_path;
  std::string m = req.method == "HEAD" ? "GET" : req.method;
  for (const Route& r : routes_) {
    if (r.path_template != path->path_template || r.method != m) continue;
    req.params.clear();
    matches(r, segs, &req.params);
    req.route = r.path_template;
    *handler = &r.handler;
    return Match::found;
  }
  return Match::no_method;
}

std::vector<std::string> Router::allowed_methods(const std::string& path) const {
  const Route* best = best_path(split_path(path));
  std::vector<std::string> out;
  if (!best) return out;
  for (const Route& r : routes_) {
    if (r.path_template != best->path_template) continue;
    if (std::find(out.begin(), out.end(), r.method) == out.end()) out.push_back(r.method);
    if (r.method == "GET" && std::find(out.begin(), out.end(), "HEAD") == out.end()) out.push_back("HEAD");
  }
  return out;
}

}  // namespace keel::http
