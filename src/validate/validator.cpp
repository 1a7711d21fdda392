// Row validation (SPEC.md "Preview (validation)"). Rules switch on FieldKind, never on field names; the
// only pairing by role is role_id/node_id, which SPEC defines as a pair.
//
// Speed: 10,000 rows take a few milliseconds. Cells are string_views into the table, duplicates are
// found with an open-addressing table of views (lower-cased copies only when a value has capitals or
// an international domain), and strings are built only for issues.
#include "validate/validator.h"

#include <algorithm>
#include <optional>

#include "core/messages.h"
#include "core/simd.h"
#include "mapping/name_split.h"
#include "validate/arena.h"
#include "validate/email.h"
#include "validate/first_seen.h"
#include "validate/lookup_list.h"
#include "validate/text_scan.h"

namespace canopy {
namespace {

struct FieldPlan {
  int column = -1;  // CSV column; -1 for a required field no column is mapped to
  const FieldSpec* spec = nullptr;
  bool required = false;
  NamePart part = NamePart::whole;  // first or last: the field is a part of the split column's full names
};

Severity severity_of(std::string_view code) {
  const MessageEntry* m = find_message(code);
  return m ? m->severity : Severity::error;
}

// The email_exists issue's arguments for a row whose compare key the directory holds; false otherwise.
bool directory_hit(const Directory& directory, const std::string& key, std::string_view email, std::string* packed) {
  const auto hit = directory.found.find(key);
  if (hit == directory.found.end()) return false;
  const DirectoryEntry& e = hit->second;
  if (!directory.resume_since.empty() && e.created_at >= directory.resume_since) return false;
  *packed = pack_args({email, e.invite ? "directory_invite" : "directory_identity", e.id, e.created_at});
  return true;
}

class TableValidator {
 public:
  TableValidator(const Table& table, const Mapping& mapping, const Lookups& lookups, Validation& out)
      : table_(table), mapping_(mapping), lookups_(lookups), out_(out) {}

  void run();
  SeenValues* seen = nullptr;            // keys of earlier chunks of the same file (validate_table's `seen`)
  const Directory* directory = nullptr;  // what the directory check found (validate_table's `directory`)

 private:
  void plan();
  void check_row(uint32_t row);
  void prefetch_row(uint32_t row) const;
  void check_cell(const FieldPlan& f, std::string_view raw);
  void check_email_cell(const FieldPlan& f, std::string_view v);
  std::string_view email_key(std::string_view v, bool idn);
  void check_lookup(const FieldPlan& f, std::string_view v);
  // `packed_tail`: more arguments, already packed (an email reason: its code and arguments).
  void add(std::string_view code, const FieldPlan* f, std::initializer_list<std::string_view> args,
           std::string_view packed_tail = {});
  void add_at(std::string_view code, int column, std::string_view field, std::initializer_list<std::string_view> args,
              std::string_view packed_tail = {});
  const FieldPlan* plan_of_column(int column) const;

  const Table& table_;
  const Mapping& mapping_;
  const Lookups& lookups_;
  Validation& out_;

  std::vector<FieldPlan> fields_;    // mapped columns in CSV order, then unmapped required fields
  const FieldPlan* role_ = nullptr;  // set when the mode has both role_id and node_id
  const FieldPlan* node_ = nullptr;
  bool pair_role_node_ = false;
  std::vector<uint8_t> secret_columns_;     // per CSV column: secret_column()
  std::vector<const Issue*> parse_issues_;  // table.issues by row, stable
  size_t next_parse_issue_ = 0;

  // Per row.
  uint32_t row_ = 0;
  uint32_t line_ = 0;
  bool role_given_ = false, node_given_ = false, uses_lookups_ = false;

  static constexpr uint32_t kPrefetchRows = 16;

  detail::LookupList roles_, nodes_, applications_, clients_;
  // Per lookup kind, the packed tail of an unknown id's message: which names exist (made once, when
  // the first unknown id of that kind is met).
  std::string role_names_, node_names_, application_names_, client_names_;
  const std::string& names_tail(const std::unordered_set<std::string>& set, bool fold_case, std::string& cache);
  detail::FirstSeen emails_, external_ids_;
  detail::Arena arena_;
  std::string idn_scratch_, key_scratch_;
};

void TableValidator::plan() {
  const ModeSpec* mode = mapping_.mode;
  if (!mode) return;
  fields_.reserve(mapping_.columns.size() + mode->required.size());
  auto make = [&](int column, const FieldSpec* spec) {
    FieldPlan p;
    p.column = column;
    p.spec = spec;
    p.required = mode_requires(*mode, spec->name);
    return p;
  };
  secret_columns_.assign(mapping_.columns.size(), 0);
  for (uint32_t c : secret_columns(mapping_)) secret_columns_[c] = 1;
  for (size_t c = 0; c < mapping_.columns.size(); ++c) {
    const std::string& name = mapping_.columns[c].field;
    if (name.empty() || !mode_has_field(*mode, name)) continue;
    if (const FieldSpec* spec = find_field(name)) fields_.push_back(make(static_cast<int>(c), spec));
  }
  // The name fields a split full-name column gives (Mapping::split_column), first name first.
  if (mapping_.split_column >= 0) {
    for (const FieldSpec* spec : mode_fields(*mode)) {
      const FieldSource src = mapping_.source_of(spec->name);
      if (src.part == NamePart::whole) continue;
      FieldPlan p = make(src.column, spec);
      p.part = src.part;
      fields_.push_back(p);
    }
  }
  for (std::string_view name : mode->required) {
    const bool mapped =
        std::any_of(fields_.begin(), fields_.end(), [&](const FieldPlan& p) { return p.spec->name == name; });
    const FieldSpec* spec = find_field(name);
    if (!mapped && spec) fields_.push_back(make(-1, spec));
  }

  bool mode_has_role = false, mode_has_node = false;
  for (const FieldSpec* spec : mode_fields(*mode)) {
    if (!spec) continue;
    mode_has_role |= spec->kind == FieldKind::role_id;
    mode_has_node |= spec->kind == FieldKind::node_id;
  }
  pair_role_node_ = mode_has_role && mode_has_node;
  roles_.reset(lookups_.roles, true);
  nodes_.reset(lookups_.nodes, true);
  applications_.reset(lookups_.applications, true);
  clients_.reset(lookups_.clients, false);
  for (const FieldPlan& p : fields_) {
    if (p.column < 0) continue;
    if (p.spec->kind == FieldKind::role_id && !role_) role_ = &p;
    if (p.spec->kind == FieldKind::node_id && !node_) node_ = &p;
    if (p.spec->kind == FieldKind::email) emails_.reserve(table_.data_rows());
    if (p.spec->kind == FieldKind::external_id) external_ids_.reserve(table_.data_rows());
  }
}

// Rows are a kilobyte or more apart when a file has long columns nobody maps (notes), too far apart
// for the hardware prefetcher: the first read of each row's cells waited on memory and was a fifth of
// the validation time. Reading one byte of each mapped cell a few rows ahead starts those loads early
// (simd::prefetch).
void TableValidator::prefetch_row(uint32_t row) const {
  const Record& rec = table_.records[row + 1];
  const char* text = table_.text.data();
  for (const FieldPlan& f : fields_) {
    if (f.column < 0 || static_cast<uint32_t>(f.column) >= rec.cell_count) continue;
    const Cell& c = table_.cells[rec.first_cell + static_cast<uint32_t>(f.column)];
    simd::prefetch(text + c.offset);
  }
}

const FieldPlan* TableValidator::plan_of_column(int column) const {
  for (const FieldPlan& p : fields_) {
    if (p.column == column) return &p;
  }
  return nullptr;
}

// The message is not made here: an issue keeps its code and arguments (a file where every row has a
// warning validates about as fast as a clean one), and the text is made for what is shown or exported.
void TableValidator::add_at(std::string_view code, int column, std::string_view field,
                            std::initializer_list<std::string_view> args, std::string_view packed_tail) {
  Issue& i = out_.issues.emplace_back();
  i.code = std::string(code);
  i.severity = severity_of(code);
  i.row = row_;
  i.line = line_;
  i.column = column;
  i.field = std::string(field);
  for (std::string_view a : args) append_arg(i.args, a);
  i.args.append(packed_tail);
  // A column headed like a password but mapped to another field: its values stay out of messages too.
  if (column >= 0 && static_cast<size_t>(column) < secret_columns_.size() &&
      secret_columns_[static_cast<size_t>(column)]) {
    mask_issue(i, secret_field_name());
  }
}

void TableValidator::add(std::string_view code, const FieldPlan* f, std::initializer_list<std::string_view> args,
                         std::string_view packed_tail) {
  if (f) {
    add_at(code, f->column, f->spec->name, args, packed_tail);
  } else {
    add_at(code, -1, {}, args, packed_tail);
  }
}

void TableValidator::run() {
  plan();
  const size_t rows = table_.data_rows();
  out_.rows.resize(rows);

  parse_issues_.reserve(table_.issues.size());
  for (const Issue& i : table_.issues) parse_issues_.push_back(&i);
  std::stable_sort(parse_issues_.begin(), parse_issues_.end(),
                   [](const Issue* a, const Issue* b) { return a->row < b->row; });

  // Every kPrefetchRows rows, the cells of the next kPrefetchRows rows are fetched together: their
  // loads overlap, and in wasm (where a prefetch is a real read, see prefetch_row) the core waits
  // once for the lot instead of once a row.
  for (uint32_t r = 0; r < rows; ++r) {
    if (r % kPrefetchRows == 0) {
      for (size_t ahead = r + kPrefetchRows; ahead < rows && ahead < r + 2 * size_t{kPrefetchRows}; ++ahead) {
        prefetch_row(static_cast<uint32_t>(ahead));
      }
    }
    check_row(r);
  }

  // File-level parse issues (kNoRow), or any naming a row the table does not have: after every row.
  for (; next_parse_issue_ < parse_issues_.size(); ++next_parse_issue_) {
    out_.issues.push_back(*parse_issues_[next_parse_issue_]);
  }
}

void TableValidator::check_row(uint32_t r) {
  const Record& rec = table_.records[r + 1];
  row_ = r;
  line_ = rec.line;
  role_given_ = node_given_ = uses_lookups_ = false;
  RowCheck& rc = out_.rows[r];
  const size_t first = out_.issues.size();

  for (; next_parse_issue_ < parse_issues_.size() && parse_issues_[next_parse_issue_]->row <= r; ++next_parse_issue_) {
    Issue& i = out_.issues.emplace_back(*parse_issues_[next_parse_issue_]);
    i.row = r;
    if (i.line == 0) i.line = line_;
    const FieldPlan* f = i.column >= 0 ? plan_of_column(i.column) : nullptr;
    if (f && i.field.empty()) i.field = std::string(f->spec->name);
    // The parser quotes the cell as it read it; a secret's text must not reach any message, mapped or
    // not (the session masks table.issues too; this covers tables validated without one).
    if (i.column >= 0 && static_cast<size_t>(i.column) < secret_columns_.size() &&
        secret_columns_[static_cast<size_t>(i.column)]) {
      mask_issue(i, secret_field_name());
    }
  }

  // The split full name, read once per row for both its parts.
  std::optional<NameSplit> split;
  for (const FieldPlan& f : fields_) {
    const std::string_view cell =
        f.column >= 0 ? table_.cell(rec, static_cast<uint32_t>(f.column)) : std::string_view();
    if (f.part == NamePart::whole) {
      check_cell(f, cell);
      continue;
    }
    // A part of a split full name: a name it cannot read with confidence is a warning (once, on the
    // plan that reads it first), and both parts stay empty: nothing is guessed.
    if (!split) {
      split = split_full_name(cell);
      if (!split->unsure.empty()) add("name_split_unsure", &f, {trim_value(cell), split->unsure});
    }
    check_cell(f, f.part == NamePart::first ? split->first : split->last);
  }

  if (pair_role_node_) {
    if (role_given_ && !node_given_) add("role_without_node", role_, {});
    if (node_given_ && !role_given_) add("node_without_role", node_, {});
  }

  rc.first_issue = static_cast<uint32_t>(first);
  rc.issue_count = static_cast<uint32_t>(out_.issues.size() - first);
  rc.uses_lookups = uses_lookups_;
  rc.status = RowStatus::valid;
  for (size_t k = first; k < out_.issues.size(); ++k) {
    if (out_.issues[k].severity == Severity::error) {
      rc.status = RowStatus::error;
      break;
    }
    rc.status = RowStatus::warning;
  }
  switch (rc.status) {
    case RowStatus::valid: ++out_.valid; break;
    case RowStatus::warning: ++out_.warnings; break;
    case RowStatus::error: ++out_.errors; break;
  }
}

void TableValidator::check_cell(const FieldPlan& f, std::string_view raw) {
  const std::string_view v = detail::plain_ends(raw) ? raw : trim_value(raw);
  if (v.size() != raw.size()) add("whitespace_trimmed", &f, {f.spec->name});
  if (v.empty()) {
    if (f.required) {
      add("required_missing", &f, {f.spec->name});
    } else if (f.spec->kind == FieldKind::name) {
      add("name_missing", &f, {f.spec->name});
    }
    return;
  }

  switch (f.spec->kind) {
    case FieldKind::email: check_email_cell(f, v); break;
    case FieldKind::name: {
      const detail::TextScan t = detail::scan_text(v);
      if (t.control) add("name_control_chars", &f, {f.spec->name});
      if (f.spec->max_chars && t.code_points > f.spec->max_chars) {
        add("name_too_long", &f, {f.spec->name, std::to_string(t.code_points), std::to_string(f.spec->max_chars)});
      }
      break;
    }
    case FieldKind::password: {
      // Counts only: the value itself never goes into a message.
      const size_t chars = detail::count_code_points(v);
      if (chars < f.spec->min_chars) {
        add("password_too_short", &f, {std::to_string(chars), std::to_string(f.spec->min_chars)});
      }
      if (f.spec->max_bytes && v.size() > f.spec->max_bytes) {
        add("password_too_long", &f, {std::to_string(v.size()), std::to_string(f.spec->max_bytes)});
      }
      break;
    }
    case FieldKind::role_id:
    case FieldKind::node_id:
    case FieldKind::application_id:
      if (f.spec->kind == FieldKind::role_id) role_given_ = true;
      if (f.spec->kind == FieldKind::node_id) node_given_ = true;
      uses_lookups_ = true;
      if (!is_uuid(v)) {
        add("uuid_invalid", &f, {f.spec->name, v});
        break;
      }
      check_lookup(f, v);
      break;
    case FieldKind::client_id:
      uses_lookups_ = true;
      check_lookup(f, v);
      break;
    case FieldKind::send_email:
      if (!parse_send_email(v)) add("send_email_invalid", &f, {v});
      break;
    case FieldKind::external_id:
      uint32_t first = external_ids_.find_or_add(v, line_);
      if (!first && seen) first = seen->find_or_add(SeenValues::Kind::external_id, v, line_);
      if (first) {
        add("duplicate_external_id", &f, {v, std::to_string(first)});
      }
      break;
  }
}

void TableValidator::check_lookup(const FieldPlan& f, std::string_view v) {
  switch (lookups_.state) {
    case Lookups::State::failed: add("lookups_unavailable", &f, {f.spec->name}); return;
    case Lookups::State::not_given: add("lookup_not_verified", &f, {f.spec->name}); return;
    case Lookups::State::loaded: break;
  }
  const detail::LookupList* list = nullptr;
  const char* unknown = nullptr;
  const std::unordered_set<std::string>* set = nullptr;
  std::string* names = nullptr;
  switch (f.spec->lookup) {
    case Lookup::roles:
      list = &roles_;
      unknown = "role_unknown";
      set = &lookups_.roles;
      names = &role_names_;
      break;
    case Lookup::nodes:
      list = &nodes_;
      unknown = "node_unknown";
      set = &lookups_.nodes;
      names = &node_names_;
      break;
    case Lookup::applications:
      list = &applications_;
      unknown = "application_unknown";
      set = &lookups_.applications;
      names = &application_names_;
      break;
    case Lookup::clients:
      list = &clients_;
      unknown = "client_unknown";
      set = &lookups_.clients;
      names = &client_names_;
      break;
    case Lookup::none: return;
  }
  if (list->contains(v, key_scratch_)) return;
  // Which ones exist, so the admin can pick the right one: names (or the id where the lookups give
  // none), sorted, the first kMaxNames of them and how many more.
  add(unknown, &f, {v}, names_tail(*set, f.spec->kind != FieldKind::client_id, *names));
}

const std::string& TableValidator::names_tail(const std::unordered_set<std::string>& set, bool fold_case,
                                              std::string& cache) {
  if (!cache.empty()) return cache;
  constexpr size_t kMaxNames = 10;
  std::vector<std::string> shown;
  shown.reserve(set.size());
  std::string key;
  for (const std::string& id : set) {
    key = id;
    if (fold_case) {
      for (char& c : key) c = detail::ascii_lower(c);
    }
    const auto it = lookups_.names.find(key);
    shown.push_back(it == lookups_.names.end() || it->second.empty() ? id : it->second);
  }
  std::sort(shown.begin(), shown.end());
  if (shown.empty()) {
    cache = pack_args({"lookup_names_none"});
    return cache;
  }
  // A message argument is at most kMaxArgBytes (core/messages.h): the names that fit whole, then how
  // many more (a first name longer than that is cut with "…" like any argument).
  constexpr size_t kBudget = kMaxArgBytes - 20;
  std::string list;
  size_t listed = 0;
  for (; listed < shown.size() && listed < kMaxNames; ++listed) {
    const size_t add = (listed ? 2 : 0) + shown[listed].size();
    if (listed && list.size() + add > kBudget) break;
    if (listed) list += ", ";
    list += shown[listed];
  }
  cache = listed < shown.size() ? pack_args({"lookup_names_more", list, std::to_string(shown.size() - listed)})
                                : pack_args({"lookup_names", list});
  return cache;
}

void TableValidator::check_email_cell(const FieldPlan& f, std::string_view v) {
  detail::EmailCheck c = detail::check_email_detail(v, idn_scratch_);
  if (c.status == detail::EmailCheck::Status::invalid) {
    add("email_invalid", &f, {v}, c.reason);
    return;
  }
  if (c.status == detail::EmailCheck::Status::too_long) {
    add("email_too_long", &f, {std::to_string(c.length), "254"}, c.reason);
    return;
  }
  // Duplicate key: lower-cased, with an international domain in its ASCII form. Most addresses are
  // already lower case and ASCII (the email check says so), and the key is then the cell itself.
  std::string_view key = v;
  if (!c.lower_ascii) key = email_key(v, c.idn);
  uint32_t first = emails_.find_or_add(key, line_);
  if (!first && seen) first = seen->find_or_add(SeenValues::Kind::email, key, line_);
  if (first) add("duplicate_email", &f, {v, std::to_string(first)});
  if (directory && !directory->found.empty()) {
    key_scratch_.assign(key.data(), key.size());
    std::string packed;
    if (directory_hit(*directory, key_scratch_, v, &packed)) add("email_exists", &f, {}, packed);
  }
}

std::string_view TableValidator::email_key(std::string_view v, bool idn) {
  const size_t at = v.find('@');
  const std::string_view domain = idn ? std::string_view(idn_scratch_) : v.substr(at + 1);
  const bool has_upper = std::any_of(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(at) + 1,
                                     [](char ch) { return ch >= 'A' && ch <= 'Z'; }) ||
                         std::any_of(domain.begin(), domain.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
  std::string_view key = v;
  if (idn || has_upper) {
    const size_t n = at + 1 + domain.size();
    char* p = arena_.allocate(n);
    for (size_t i = 0; i <= at; ++i) p[i] = detail::ascii_lower(v[i]);
    for (size_t i = 0; i < domain.size(); ++i) p[at + 1 + i] = detail::ascii_lower(domain[i]);
    key = std::string_view(p, n);
  }
  return key;
}

}  // namespace

std::string email_compare_key(std::string_view trimmed) {
  std::string idn;
  const detail::EmailCheck c = detail::check_email_detail(trimmed, idn);
  if (c.status != detail::EmailCheck::Status::ok) return {};
  const size_t at = trimmed.find('@');
  std::string key(trimmed.substr(0, at + 1));
  key += c.idn ? std::string_view(idn) : trimmed.substr(at + 1);
  for (char& ch : key) ch = detail::ascii_lower(ch);
  return key;
}

size_t apply_directory(Validation& validation, const Table& table, const Mapping& mapping, const Directory& directory) {
  if (!mapping.mode || directory.found.empty()) return 0;
  int column = -1;
  std::string_view field;
  for (const FieldSpec* spec : mode_fields(*mapping.mode)) {
    if (spec->kind != FieldKind::email) continue;
    column = mapping.column_of(spec->name);
    field = spec->name;
    break;
  }
  if (column < 0) return 0;
  // Rebuilt row by row: a row's issues stay together (RowCheck::first_issue), the new one after them;
  // the file-level issues (after every row's) last.
  size_t row_issues = 0;
  for (const RowCheck& rc : validation.rows) row_issues += rc.issue_count;
  std::vector<Issue> issues;
  issues.reserve(validation.issues.size() + 16);
  size_t marked = 0;
  std::string packed;
  for (uint32_t r = 0; r < validation.rows.size(); ++r) {
    RowCheck& rc = validation.rows[r];
    const auto first = static_cast<uint32_t>(issues.size());
    bool already = false;
    for (uint32_t k = 0; k < rc.issue_count; ++k) {
      Issue& is = validation.issues[rc.first_issue + k];
      already |= is.code == "email_exists";
      issues.push_back(std::move(is));
    }
    rc.first_issue = first;
    if (already || r + 1 >= table.records.size()) continue;
    const std::string_view email = trim_value(table.cell(r + 1, static_cast<uint32_t>(column)));
    const std::string key = email_compare_key(email);
    if (key.empty() || !directory_hit(directory, key, email, &packed)) continue;
    Issue& is = issues.emplace_back();
    is.code = "email_exists";
    is.severity = Severity::error;
    is.row = r;
    is.line = table.records[r + 1].line;
    is.column = column;
    is.field = std::string(field);
    is.args = packed;
    rc.issue_count += 1;
    ++marked;
    if (rc.status == RowStatus::valid) --validation.valid;
    if (rc.status == RowStatus::warning) --validation.warnings;
    if (rc.status != RowStatus::error) ++validation.errors;
    rc.status = RowStatus::error;
  }
  for (size_t k = row_issues; k < validation.issues.size(); ++k) issues.push_back(std::move(validation.issues[k]));
  validation.issues = std::move(issues);
  return marked;
}

Validation validate_table(const Table& table, const Mapping& mapping, const Lookups& lookups, SeenValues* seen,
                          const Directory* directory) {
  Validation out;
  TableValidator v(table, mapping, lookups, out);
  v.seen = seen;
  v.directory = directory;
  v.run();
  return out;
}

}  // namespace canopy
