// The one table of modes, fields and header aliases. The dialog, validator, batch planner, sample
// generator and CLI all read it: adding a field or an alias is a change here and nowhere else.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace canopy {

// What rules a field's values follow (validate/ switches on this, never on the field's name).
enum class FieldKind : uint8_t {
  email,
  name,  // first_name, last_name
  password,
  role_id,         // UUID, must exist among the environment's roles
  node_id,         // UUID, must exist among the environment's nodes
  client_id,       // must exist among the environment's OAuth clients
  application_id,  // UUID, must exist among the account's applications
  send_email,      // boolean words
  external_id,     // free text, unique inside the file
};

enum class Scope : uint8_t { environment, account };

// Which part of a full name a field takes when the user splits a full-name column (mapping/name_split.h).
enum class NamePart : uint8_t { whole, first, last };

// Which of the scope's lookup lists a field's values must be among (the validator's check, the CLI's
// --lookups, the page's lookups banner).
enum class Lookup : uint8_t { none, roles, nodes, clients, applications };

struct FieldSpec {
  std::string_view name;  // "email": the JSON key sent to the API
  FieldKind kind;
  std::string_view label;           // "Email"
  std::string_view doc;             // one line for the sample CSV's comments and the mode cards
  std::string_view format;          // "name@example.com", "UUID", "true/false"
  bool secret;                      // masked in preview, never exported or logged
  NamePart part = NamePart::whole;  // first_name / last_name: the part of a split full name it takes
  Lookup lookup = Lookup::none;     // the lookup list its values must be among
  // Limits of a value (0: none): at least min_chars and at most max_chars characters (code points), at
  // most max_bytes bytes of UTF-8. The validator checks them; its messages name them.
  uint16_t min_chars = 0;
  uint16_t max_chars = 0;
  uint16_t max_bytes = 0;
};

// One value of an example row: the field it is for and the value (a field an example leaves out is empty).
struct ExampleValue {
  std::string_view field;
  std::string_view value;
};

struct ModeSpec {
  std::string_view id;       // "invite" | "create" | "account"
  std::string_view title;    // "Bulk invite"
  std::string_view summary;  // one sentence for the mode card
  Scope scope;
  std::string_view surface;             // "access-control" | "tenant": the page that offers it
  std::string_view endpoint;            // with {environment_id} where the scope needs it
  std::string_view directory_endpoint;  // the directory check (identities/lookup) of the same scope
  std::string_view success_status;      // "invited" | "created"
  std::vector<std::string_view> required;
  std::vector<std::string_view> optional;
  // Example rows for the sample CSV, each the fields it gives a value. They must validate with zero
  // issues against the reference server's seeded lookups (tests/node checks this).
  std::vector<std::vector<ExampleValue>> examples;
};

struct Alias {
  std::string_view field;
  std::string_view alias;  // as people write it; matched after normalize_header()
};

// A word that makes a header a secret's (a password's) whatever else the header says: "Password 2",
// "User Password", "Initial PW", "Passwort (neu)". Matched against the header's words after
// normalize_header() (mapping/secret.h). `words` is one word or a phrase ("mot de passe"); a `part`
// word also counts inside a longer word ("userpassword", "Startpasswort", "初期パスワード"), the others
// only as whole words ("pass", "pw": not "Compass", "Bypass" or "Passport").
struct SecretWord {
  std::string_view words;
  bool part;
};

// How a word of a qualified header ("Email Address [Required]", "Home Email", "Legal Name - First
// Name") is read when the whole header is no alias (mapper.cpp reads headers with these).
enum class HeaderWordKind : uint8_t {
  annotation,  // read past: "required", "upload only", "yes/no", "value", "1"
  keeps,       // a qualifier that keeps the meaning: "work", "primary", "business", "login"
  changes,     // a qualifier that changes it, the column stays ignored: "home", "recovery", "manager"
  group,       // a group a field is written under: "Legal Name - First Name", "name.givenName"
  filler,      // the syntax of a SCIM filter: emails[type eq "work"]
};

struct HeaderWord {
  std::string_view words;  // one word or a phrase, matched word by word after header_words()
  HeaderWordKind kind;
};

// A property name in brackets or a SCIM attribute is evidence of the field: "First name [givenName]",
// "User name [userPrincipalName]", "name.familyName". An empty field marks a full name (displayName,
// name.formatted), which is never mapped to first or last name.
struct PropertyName {
  std::string_view name;  // matched after normalize_header()
  std::string_view field;
};

const std::vector<FieldSpec>& all_fields();
const std::vector<ModeSpec>& all_modes();
const std::vector<Alias>& all_aliases();
// Besides the names and aliases of the secret fields (FieldSpec::secret), which count as they are.
const std::vector<SecretWord>& secret_words();
const std::vector<HeaderWord>& header_words_table();
const std::vector<PropertyName>& property_names();
// Headers that hold a whole name ("Name", "Full name", "Display name"): never first or last name.
const std::vector<std::string_view>& full_name_headers();
// Headers of a login name ("userName", "Login name"): often an email, not always; never mapped by itself.
const std::vector<std::string_view>& login_name_headers();

const ModeSpec* find_mode(std::string_view id);
const FieldSpec* find_field(std::string_view name);
// An example row's value for `field`, empty when the row gives none.
std::string_view example_value(const std::vector<ExampleValue>& row, std::string_view field);

// The modes' ids in table order, for messages: "invite, create, account".
std::string mode_ids();

// A boolean field's word (send_email), in any case: true, yes, y, 1, on / false, no, n, 0, off. Empty
// when the text is none of them.
std::optional<bool> boolean_word(std::string_view text);

// How a message argument naming a field or a mode is written in English (core/messages.h, LabelFn):
// 'f' a field's label to start a sentence ("First name"), 'l' inside one ("first name"; an acronym such as
// "OAuth client ID" stays), 'o' a mode's title ("Bulk invite"). An unknown name is returned as it is.
std::string schema_label(char kind, std::string_view name);

// Fields of a mode in column order: required first, then optional.
std::vector<const FieldSpec*> mode_fields(const ModeSpec& mode);
bool mode_has_field(const ModeSpec& mode, std::string_view field);
bool mode_requires(const ModeSpec& mode, std::string_view field);

}  // namespace canopy
