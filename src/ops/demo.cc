// A sample company for trying Keel: "Keel Demo" sells industrial sensors in China and abroad.
// Everything goes through the services (records, users, teams), so the demo data has audit entries,
// change-log entries and search terms like real data.
//
// The company's own words (industries, titles, subjects, deal names, tags) are in the company's
// language (--locale); the customers' names stay as they are in both, since a Chinese company's
// CRM holds Chinese and foreign customers alike.
#include <boost/json.hpp>

#include "auth/permissions.h"
#include "ops/maintenance.h"
#include "service/records.h"
#include "service/rules.h"
#include "service/teams.h"
#include "service/users.h"

namespace keel::ops {
namespace json = boost::json;

int load_demo_data(store::Database& db, const std::string& locale) {
  const bool zh = locale == "zh-CN";
  // The company's words in its language: L("English", "中文").
  auto L = [zh](const char* en, const char* cn) { return zh ? cn : en; };
  int created = 0;
  db.write([&](store::Tx& tx) {
    if (service::has_records(tx, *domain::find_entity("accounts"))) return;
    std::optional<std::string> admin_id = service::first_admin_id(tx);
    if (!admin_id) return;
    auth::Principal admin;
    admin.user_id = *admin_id;
    admin.role_id = "admin";
    admin.time_zone = "Asia/Shanghai";
    admin.perms = auth::builtin_roles().front().permissions;
    service::Context ctx{admin, "demo"};
    service::Records records(db);
    auto make = [&](const char* entity, json::object in) {
      ++created;
      return records.create_in(tx, ctx, *domain::find_entity(entity), in).record;
    };

    // People: a team with a manager, two sales reps and a support agent (password printed by the
    // caller), made through the same services as the administration pages use.
    const std::string team_id(
        service::create_team(tx, ctx, {{"name", L("East China Sales", "华东销售")}}).at("id").as_string());
    struct Person {
      const char* email;
      const char* name;
      const char* role;
      const char* locale;
    };
    std::vector<std::string> reps;
    for (Person p : {Person{"manager@demo.keel", "李娜 Li Na", "manager", "zh-CN"},
                     Person{"wang.wei@demo.keel", "王伟 Wang Wei", "sales", "zh-CN"},
                     Person{"emma@demo.keel", "Emma Clarke", "sales", "en"},
                     Person{"support@demo.keel", "赵敏 Zhao Min", "support", "zh-CN"}}) {
      json::object user = service::create_user(tx, ctx,
                                               {{"email", p.email},
                                                {"name", p.name},
                                                {"role_id", p.role},
                                                {"team_id", team_id},
                                                {"locale", p.locale},
                                                {"time_zone", "Asia/Shanghai"},
                                                {"password", "demo-password-1"}});
      reps.push_back(std::string(user["id"].as_string()));
    }
    service::update_team(tx, ctx, team_id, {{"manager_id", reps[0]}});
    std::vector<std::string> sellers = {reps[1], reps[2], admin.user_id};

    const json::object pipeline =
        *service::Records::load(tx, *domain::find_entity("pipelines"), *service::default_pipeline_id(tx));
    const json::array stages = pipeline.at("stages").as_array();

    std::vector<std::string> products;
    const std::tuple<const char*, const char*, int64_t> catalog[] = {
        {L("Temperature sensor T-100", "温度传感器 T-100"), "T-100", 128000},
        {L("Pressure sensor P-200", "压力传感器 P-200"), "P-200", 256000},
        {L("Gateway G-1", "网关 G-1"), "G-1", 990000},
        {L("Annual service", "年度维护服务"), "SVC-Y", 1200000}};
    for (auto [name, sku, price] : catalog)
      products.push_back(std::string(
          make("products",
               {{"name", name}, {"sku", sku}, {"price_minor", price}, {"currency", "CNY"}, {"active", true}})["id"]
              .as_string()));

    // name, industry (en, zh), city, country: names and addresses are the customers' own, as they
    // write them, in either language
    const char* companies[][5] = {{"上海明远科技有限公司", "Manufacturing", "制造业", "上海", "CN"},
                                  {"杭州西湖智能制造", "Manufacturing", "制造业", "杭州", "CN"},
                                  {"苏州工业园区能源公司", "Energy", "能源", "苏州", "CN"},
                                  {"南京长江物流", "Logistics", "物流", "南京", "CN"},
                                  {"宁波港口设备", "Logistics", "物流", "宁波", "CN"},
                                  {"Northwind Traders", "Retail", "零售", "Seattle", "US"},
                                  {"Contoso Industrial", "Manufacturing", "制造业", "Munich", "DE"},
                                  {"Fabrikam Energy", "Energy", "能源", "Lyon", "FR"},
                                  {"深圳前海电子", "Electronics", "电子", "深圳", "CN"},
                                  {"Tailspin Toys", "Retail", "零售", "London", "GB"},
                                  {"北京京北数据中心", "Technology", "科技", "北京", "CN"},
                                  {"Adventure Works", "Outdoor", "户外用品", "Denver", "US"}};
    // first name, last name, job title (en, zh)
    const char* people[][4] = {{"小明", "王", "Purchasing manager", "采购经理"},
                               {"丽", "张", "General manager", "总经理"},
                               {"伟", "刘", "Engineer", "工程师"},
                               {"芳", "陈", "Finance director", "财务总监"},
                               {"强", "杨", "Head of operations", "运营主管"},
                               {"Alice", "Johnson", "CTO", "首席技术官"},
                               {"Bob", "Miller", "Buyer", "采购员"},
                               {"Chloé", "Martin", "COO", "首席运营官"},
                               {"静", "赵", "Project manager", "项目经理"},
                               {"Oliver", "Smith", "Procurement lead", "采购主管"},
                               {"磊", "黄", "Head of IT", "IT 主管"},
                               {"Sophia", "Davis", "CEO", "首席执行官"}};
    const int64_t amounts[] = {8800000, 15600000, 3200000, 45000000, 990000,  12500000,
                               2750000, 64000000, 5400000, 18800000, 7300000, 1200000};

    for (size_t i = 0; i < std::size(companies); ++i) {
      const std::string& owner = sellers[i % sellers.size()];
      bool cn = std::string(companies[i][4]) == "CN";
      json::object acct =
          make("accounts",
               {{"name", companies[i][0]},
                {"industry", L(companies[i][1], companies[i][2])},
                {"city", companies[i][3]},
                {"country", companies[i][4]},
                {"phone", cn ? "+86 21 5555 01" + std::to_string(10 + i) : "+1 206 555 01" + std::to_string(10 + i)},
                {"owner_id", owner},
                {"tags", json::array{cn ? L("domestic", "国内") : L("international", "国际")}}});
      std::string acct_id(acct["id"].as_string());
      json::array contact_ids;
      for (int k = 0; k < 2; ++k) {
        const auto& p = people[(i + static_cast<size_t>(k) * 5) % std::size(people)];
        std::string local = "contact" + std::to_string(i * 2 + static_cast<size_t>(k));
        json::object c =
            make("contacts",
                 {{"first_name", p[0]},
                  {"last_name", p[1]},
                  {"title", L(p[2], p[3])},
                  {"emails", json::array{local + "@example.com"}},
                  {"phones", json::array{"+86 138 0013 " + std::to_string(8000 + i * 2 + static_cast<size_t>(k))}},
                  {"account_id", acct_id},
                  {"owner_id", owner},
                  {"source", "trade_show"},
                  {"consent_email", k == 0}});
        contact_ids.push_back(c["id"]);
      }
      const auto& stage = stages[i % stages.size()].as_object();
      json::object deal =
          make("deals", {{"name", std::string(companies[i][0]) + L(" — 2027 rollout", " — 2027 年部署")},
                         {"stage_id", stage.at("id")},
                         {"amount_minor", amounts[i]},
                         {"currency", cn ? "CNY" : "USD"},
                         {"expected_close_date", "2027-0" + std::to_string(1 + i % 6) + "-15"},
                         {"account_id", acct_id},
                         {"contact_ids", contact_ids},
                         {"owner_id", owner}});
      make("activities",
           {{"type", i % 2 ? "call" : "meeting"},
            {"subject", i % 2 ? L("Requirements call", "电话沟通需求") : L("Site visit", "现场拜访")},
            {"body", L("Discussed sensor coverage and the rollout schedule.", "讨论了传感器覆盖范围和部署计划。")},
            {"occurred_at", "2026-11-" + std::to_string(10 + i % 10) + "T10:00:00+08:00"},
            {"duration_minutes", 30 + static_cast<int64_t>(i) * 5},
            {"direction", "outbound"},
            {"contact_id", contact_ids[0]},
            {"account_id", acct_id},
            {"deal_id", deal["id"]},
            {"owner_id", owner}});
      make("tasks",
           {{"title", i % 3 ? L("Send the quote", "发送报价单") : L("Follow up after the visit", "拜访后跟进")},
            {"due_at", "2026-11-" + std::to_string(20 + i % 10) + "T09:00:00+08:00"},
            {"priority", i % 4 ? "normal" : "high"},
            {"related_entity", "deals"},
            {"related_id", deal["id"]},
            {"owner_id", owner}});
      if (i % 3 == 0)
        make("orders", {{"number", "SO-2026-" + std::to_string(1000 + i)},
                        {"account_id", acct_id},
                        {"contact_id", contact_ids[0]},
                        {"status", "confirmed"},
                        {"ordered_on", "2026-10-0" + std::to_string(1 + i % 9)},
                        {"currency", "CNY"},
                        {"owner_id", owner},
                        {"items", json::array{{{"product_id", products[0]}, {"quantity", 20}},
                                              {{"product_id", products[3]}, {"quantity", 1}}}}});
    }
    for (const char* lead : {"陈|建国|远航船舶|+86 139 1111 2222", "Grace|Lee|Blue Yonder Airlines|+1 415 555 0199",
                             "周|杰|光明乳业|+86 137 2222 3333"}) {
      std::string s(lead);
      std::vector<std::string> parts;
      size_t pos;
      while ((pos = s.find('|')) != std::string::npos) {
        parts.push_back(s.substr(0, pos));
        s = s.substr(pos + 1);
      }
      parts.push_back(s);
      bool cn = static_cast<unsigned char>(parts[0][0]) >= 0x80;
      make("leads", {{"first_name", cn ? parts[1] : parts[0]},
                     {"last_name", cn ? parts[0] : parts[1]},
                     {"company", parts[2]},
                     {"phone", parts[3]},
                     {"source", "website"},
                     {"owner_id", sellers[0]}});
    }
  });
  return created;
}

}  // namespace keel::ops
