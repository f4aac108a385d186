// Method + path-template routing. Templates are literal segments and {name} captures:
// "/api/v1/contacts/{id}/restore". The matched template is kept for metrics labels, so that
// per-route metrics stay bounded however many ids clients send.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/message.h"

namespace keel::http {

using Handler = std::function<Response(Request&)>;

class Router {
 public:
  void add(std::string method, std::string path_template, Handler handler);

  enum class Match { found, no_path, no_method };
  // On found, fills req.params and req.route and returns the handler.
  Match match(Request& req, const Handler** handler) const;
  // Methods of the template the path is routed to, each once, HEAD with GET (for 405 Allow).
  std::vector<std::string> allowed_methods(const std::string& path) const;

  struct Route {
    std::string method;
    std::string path_template;
    std::vector<std::string> segments;
    Handler handler;
  };
  const std::vector<Route>& routes() const { return routes_; }

 private:
  const Route* best_path(const std::vector<std::string>& segs) const;
  std::vector<Route> routes_;
};

}  // namespace keel::http
