// What a handler sees of an HTTP exchange. Independent of Beast so that handlers and tests do
// not pull in the networking headers.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace keel::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path without query
  // Query parameters in order, percent-decoded; a name may repeat.
  std::vector<std::pair<std::string, std::string>> query;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote_ip;
  std::string request_id;
  std::map<std::string, std::string> params;  // path template captures, e.g. {id}
  std::string route;                          // matched template, e.g. "/api/v1/contacts/{id}"

  const std::string* header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? nullptr : &it->second;
  }
  const std::string& param(const std::string& name) const { return params.at(name); }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  void set_header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

Response json_response(int status, const boost::json::value& v);

}  // namespace keel::http
