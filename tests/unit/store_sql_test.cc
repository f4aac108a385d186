// store/sql_text.h and render_migration: the SQL rewrites the store makes before an engine reads
// the text act on code only, never inside literals, quoted names or comments ("SQL text" in
// store/db.h). The rendered statements are also run on SQLite, to show the literals arrive intact.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/db.h"
#include "store/migrations.h"
#include "store/sql_text.h"
#include "temp_dir.h"

namespace keel::store {
namespace {

using sql::number_placeholders;
using sql::SpanKind;

std::string joined(const std::vector<sql::Span>& spans) {
  std::string out;
  for (const auto& s : spans) out += s.text;
  return out;
}

TEST(SqlScan, CutsTextIntoCodeLiteralsNamesAndComments) {
  const std::string text = "SELECT 'a?''b', \"c\"\"?\" -- d?\n/* e; */ ?";
  auto spans = sql::scan(text);
  ASSERT_EQ(spans.size(), 9u);
  EXPECT_EQ(spans[0].kind, SpanKind::code);
  EXPECT_EQ(spans[0].text, "SELECT ");
  EXPECT_EQ(spans[1].kind, SpanKind::literal);
  EXPECT_EQ(spans[1].text, "'a?''b'");
  EXPECT_EQ(spans[2].text, ", ");
  EXPECT_EQ(spans[3].kind, SpanKind::identifier);
  EXPECT_EQ(spans[3].text, "\"c\"\"?\"");
  EXPECT_EQ(spans[5].kind, SpanKind::comment);
  EXPECT_EQ(spans[5].text, "-- d?");  // the end of line is code
  EXPECT_EQ(spans[6].kind, SpanKind::code);
  EXPECT_EQ(spans[6].text, "\n");
  EXPECT_EQ(spans[7].kind, SpanKind::comment);
  EXPECT_EQ(spans[7].text, "/* e; */");
  EXPECT_EQ(spans[8].kind, SpanKind::code);
  EXPECT_EQ(spans[8].text, " ?");
  EXPECT_EQ(joined(spans), text);
}

TEST(SqlScan, SpansAlwaysAddUpToTheText) {
  for (const std::string text : {"", "?", "'unterminated ?", "\"open", "/* open", "/* a /* b */ c */ d", "-- end",
                                 "$$ body", "$q$ x $q$", "E'\\'' x", "a$b$ ?"})
    EXPECT_EQ(joined(sql::scan(text)), text) << text;
}

TEST(NumberPlaceholders, CodeOnly) {
  EXPECT_EQ(number_placeholders("SELECT ?, ? FROM t WHERE a = ?"), "SELECT $1, $2 FROM t WHERE a = $3");
  EXPECT_EQ(number_placeholders("SELECT 1"), "SELECT 1");
  // Inside a literal, a quoted name or a comment a `?` is text, as SQLite reads it.
  EXPECT_EQ(number_placeholders("SELECT '?', \"?\", ? -- ?\n, ?"), "SELECT '?', \"?\", $1 -- ?\n, $2");
  EXPECT_EQ(number_placeholders("SELECT /* ? */ ?"), "SELECT /* ? */ $1");
}

TEST(NumberPlaceholders, LiteralsThatLookLikeTheirEnd) {
  // A doubled quote does not end the literal; neither does a double quote or -- inside it.
  EXPECT_EQ(number_placeholders("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
  EXPECT_EQ(number_placeholders("SELECT 'say \"?\"', ?"), "SELECT 'say \"?\"', $1");
  EXPECT_EQ(number_placeholders("SELECT '--', ? -- ?"), "SELECT '--', $1 -- ?");
  EXPECT_EQ(number_placeholders("SELECT '/*', ?, '*/'"), "SELECT '/*', $1, '*/'");
  EXPECT_EQ(number_placeholders("SELECT \"it's\" FROM t WHERE x = ?"), "SELECT \"it's\" FROM t WHERE x = $1");
  // Backslash escapes only in E'...' literals.
  EXPECT_EQ(number_placeholders("SELECT E'\\'?', ?"), "SELECT E'\\'?', $1");
  EXPECT_EQ(number_placeholders("SELECT 'a\\', ?"), "SELECT 'a\\', $1");
  EXPECT_EQ(number_placeholders("SELECT name'?'"), "SELECT name'?'");  // not an E literal, still a literal
}

TEST(NumberPlaceholders, DollarSigns) {
  // A `$` in a literal or a quoted name is text; in a name it is part of the name.
  EXPECT_EQ(number_placeholders("SELECT 'US$' || ?, '$1'"), "SELECT 'US$' || $1, '$1'");
  EXPECT_EQ(number_placeholders("SELECT \"price$\" FROM t WHERE x = ?"), "SELECT \"price$\" FROM t WHERE x = $1");
  EXPECT_EQ(number_placeholders("SELECT a$b$c, ? FROM t"), "SELECT a$b$c, $1 FROM t");
  // Dollar quoting (PostgreSQL) is a literal.
  EXPECT_EQ(number_placeholders("SELECT $$ ? $$, $q$ ?$$ $q$, ?"), "SELECT $$ ? $$, $q$ ?$$ $q$, $1");
}

TEST(NumberPlaceholders, NestedBlockCommentsAsPostgresReadsThem) {
  EXPECT_EQ(number_placeholders("SELECT /* a /* ? */ ? */ ?"), "SELECT /* a /* ? */ ? */ $1");
}

// ---------------------------------------------------------------------------------------------
// render_migration on statements with literals

const char* const kTrickyMigration =
    "-- a header; with a semicolon and a 'quote\n"
    "CREATE TABLE \"odd;name\" (k TEXT {{C}} PRIMARY KEY, v TEXT NOT NULL DEFAULT '--');\n"
    "INSERT INTO \"odd;name\" (k, v) VALUES ('a;b', 'x -- not a comment'); /* one; */ /* two */\n"
    "INSERT INTO \"odd;name\" (k, v) VALUES ('it''s; ?', '/* kept */ {{C}} $1 ?');\n"
    "INSERT INTO \"odd;name\" (k) VALUES ('default')\n";

TEST(RenderMigration, SplitsAndRewritesCodeOnly) {
  for (Dialect d : {Dialect::sqlite, Dialect::postgres}) {
    auto stmts = render_migration(kTrickyMigration, d);
    ASSERT_EQ(stmts.size(), 4u);
    const std::string collate = d == Dialect::postgres ? "TEXT COLLATE \"C\" PRIMARY KEY" : "TEXT  PRIMARY KEY";
    EXPECT_EQ(stmts[0], "CREATE TABLE \"odd;name\" (k " + collate + ", v TEXT NOT NULL DEFAULT '--')");
    EXPECT_EQ(stmts[1], "INSERT INTO \"odd;name\" (k, v) VALUES ('a;b', 'x -- not a comment')");
    EXPECT_EQ(stmts[2], "INSERT INTO \"odd;name\" (k, v) VALUES ('it''s; ?', '/* kept */ {{C}} $1 ?')");
    EXPECT_EQ(stmts[3], "INSERT INTO \"odd;name\" (k) VALUES ('default')");
  }
}

TEST(RenderMigration, RenderedLiteralsReachTheEngineIntact) {
  keel::testing::TempDir dir;
  auto db = open_sqlite(dir.file("render.db"), 1);
  db->write([&](Tx& tx) {
    for (const auto& stmt : render_migration(kTrickyMigration, Dialect::sqlite)) tx.query(stmt);
  });
  std::vector<std::pair<std::string, std::string>> rows;
  db->read([&](Tx& tx) {
    for (const auto& r : tx.query("SELECT k, v FROM \"odd;name\" ORDER BY k").rows)
      rows.emplace_back(r.text(0), r.text(1));
    // A `?` in a literal is not a parameter: this statement takes exactly one.
    auto one = tx.one("SELECT '?', ?, '--'", {std::string("p")});
    ASSERT_TRUE(one.has_value());
    EXPECT_EQ(one->text(0), "?");
    EXPECT_EQ(one->text(1), "p");
    EXPECT_EQ(one->text(2), "--");
  });
  db->close();
  EXPECT_EQ(rows, (std::vector<std::pair<std::string, std::string>>{
                      {"a;b", "x -- not a comment"}, {"default", "--"}, {"it's; ?", "/* kept */ {{C}} $1 ?"}}));
}

}  // namespace
}  // namespace keel::store
