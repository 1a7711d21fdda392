#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>

#include "core/messages.h"
#include "mapping/mapper.h"
#include "mapping/name_split.h"
#include "mapping/schema.h"
#include "mapping/secret.h"

using namespace canopy;

TEST_CASE("header normalisation folds case, width, accents and punctuation", "[mapping]") {
  auto [in, out] = GENERATE(table<std::string, std::string>({
      {"E-MAIL", "email"},
      {"\xef\xbc\xa5\xef\xbc\x8d\xef\xbd\x8d\xef\xbd\x81\xef\xbd\x89\xef\xbd\x8c", "email"},  // fullwidth
      {"e_mail", "email"},
      {" Email Address ", "emailaddress"},
      {"Prénom", "prenom"},
      {"Straße", "strasse"},
      {"Correo electrónico", "correoelectronico"},
      {"Role ID", "roleid"},
      {"Employee #", "employeenumber"},
      {"Employé n° #", "employennumber"},
  }));
  CHECK(normalize_header(in) == out);
}

TEST_CASE("no alias names two fields", "[mapping]") {
  std::map<std::string, std::string_view> seen;
  for (const auto& a : all_aliases()) {
    const std::string key = normalize_header(a.alias);
    CAPTURE(a.alias);
    REQUIRE(!key.empty());
    auto [it, fresh] = seen.emplace(key, a.field);
    CHECK((fresh || it->second == a.field));
    REQUIRE(find_field(a.field) != nullptr);
  }
}

TEST_CASE("aliases map per language and mode", "[mapping]") {
  auto [mode, header, field] = GENERATE(table<std::string, std::string, std::string>({
      {"invite", "E-Mail", "email"},
      {"invite", "Email Address", "email"},
      {"invite", "Mail", "email"},
      {"invite", "Courriel", "email"},
      {"invite", "Correo electrónico", "email"},
      {"create", "Given Name", "first_name"},
      {"create", "First Name", "first_name"},
      {"create", "Forename", "first_name"},
      {"create", "Vorname", "first_name"},
      {"create", "Prénom", "first_name"},
      {"create", "Nombre", "first_name"},
      {"create", "Voornaam", "first_name"},
      {"create", "Surname", "last_name"},
      {"create", "Last Name", "last_name"},
      {"create", "Family Name", "last_name"},
      {"create", "Nachname", "last_name"},
      {"create", "Nom", "last_name"},
      {"create", "Apellido", "last_name"},
      {"create", "Cognome", "last_name"},
      {"create", "Sobrenome", "last_name"},
      {"create", "Role ID", "role_id"},
      {"create", "Node ID", "node_id"},
      {"invite", "Client ID", "client_id"},
      {"invite", "OAuth Client ID", "client_id"},
      {"create", "External ID", "external_id"},
      {"create", "Employee ID", "external_id"},
      {"account", "Application ID", "application_id"},
      {"invite", "Send Email", "send_email"},
      {"create", "Password", "password"},
      {"account", "Initial Password", "password"},
      {"create", "Kennwort", "password"},
      {"create", "Senha", "password"},
      // Not matched: no fuzzy or word-pair matching.
      {"invite", "Email consent", ""},
      {"invite", "Email opt-in", ""},
      {"create", "Name", ""},
      {"create", "Full name", ""},
      {"create", "Role", ""},
      {"create", "Node", ""},
      {"create", "ID", ""},
      // Fields the mode does not take are ignored.
      {"invite", "Password", ""},
      {"account", "Role ID", ""},
      {"create", "Send Email", ""},
  }));
  CAPTURE(mode, header);
  const ModeSpec* m = find_mode(mode);
  REQUIRE(m);
  Mapping map = auto_map(*m, {header});
  CHECK(map.columns[0].field == field);
  CHECK(map.columns[0].status == (field.empty() ? ColumnStatus::ignored : ColumnStatus::matched));
}

TEST_CASE("a Node ID column never lands on role_id", "[mapping]") {
  Mapping map = auto_map(*find_mode("create"), {"Node ID", "Role ID"});
  CHECK(map.columns[0].field == "node_id");
  CHECK(map.columns[1].field == "role_id");
}

TEST_CASE("each field is mapped at most once: the second column says why", "[mapping]") {
  Mapping map = auto_map(*find_mode("create"), {"Email", "E-Mail", "First Name", "Last Name"});
  CHECK(map.columns[0].field == "email");
  CHECK(map.columns[1].field.empty());
  CHECK(map.columns[1].status == ColumnStatus::duplicate);
  CHECK(map.columns[1].note.find("Email") != std::string::npos);
  CHECK(map.missing_required().empty());
}

TEST_CASE("mapping state transitions", "[mapping]") {
  Mapping map = auto_map(*find_mode("create"), {"Mail", "Col B", "Col C", "Notes"});
  CHECK(map.missing_required() == std::vector<std::string_view>{"first_name", "last_name"});
  auto r = set_column(map, 1, "first_name");
  CHECK(r.ok);
  CHECK(map.columns[1].status == ColumnStatus::manual);
  r = set_column(map, 2, "last_name");
  CHECK(map.missing_required().empty());
  // Picking a field already used moves it and says so.
  r = set_column(map, 3, "first_name");
  CHECK(r.moved_from == 1);
  CHECK(r.code == "field_moved");
  CHECK(r.message == "First name moved from column \"Col B\" to column \"Notes\"; \"Col B\" is now ignored.");
  CHECK(map.columns[1].note_code == "field_moved_away");
  CHECK(map.columns[1].note == "Its field First name moved to column \"Notes\".");
  CHECK(map.columns[1].field.empty());
  CHECK(map.columns[3].field == "first_name");
  // Ignore clears; an unknown field is refused without changing anything.
  r = set_column(map, 0, "");
  CHECK(map.missing_required() == std::vector<std::string_view>{"email"});
  r = set_column(map, 0, "application_id");
  CHECK_FALSE(r.ok);
  CHECK(r.code == "not_a_field_of_mode");
  CHECK(r.message == "\"application_id\" is not a field of Bulk create. Choose one of its fields, or Ignore.");
  CHECK(map.columns[0].field.empty());
  r = set_column(map, 9, "email");
  CHECK_FALSE(r.ok);
  CHECK(r.message == "There is no column 10.");
}

TEST_CASE("mapping JSON round trip", "[mapping]") {
  Mapping a = auto_map(*find_mode("create"), {"Mail", "Col B", "Col C"});
  set_column(a, 1, "first_name");
  set_column(a, 2, "last_name");
  const std::string json = mapping_to_json(a);
  Mapping b = auto_map(*find_mode("create"), {"Mail", "Col B", "Col C"});
  REQUIRE(apply_mapping_json(b, json).code.empty());
  CHECK(b.columns[1].field == "first_name");
  CHECK(b.columns[2].field == "last_name");
  Mapping c = auto_map(*find_mode("invite"), {"Mail"});
  const Error other = apply_mapping_json(c, json);
  CHECK(other.code == "mapping_other_mode");
  CHECK(other.message ==
        "This mapping was saved for Bulk create, not Bulk invite. Choose a mapping saved for Bulk invite, or start "
        "over in Bulk create.");
  CHECK(unpack_args(other.args) == std::vector<std::string_view>{"create", "invite"});
  CHECK(apply_mapping_json(c, "{not json").code == "mapping_file_invalid");
}

TEST_CASE("mapping JSON keeps each choice of a repeated header", "[mapping]") {
  // Two "Name" columns (first and last) and two "Email" columns, the second ignored.
  const std::vector<std::string> headers = {"Name", "Name", "Email", "Email", "Notes"};
  Mapping a = auto_map(*find_mode("create"), headers);
  set_column(a, 0, "first_name");
  set_column(a, 1, "last_name");
  REQUIRE(a.columns[2].field == "email");
  REQUIRE(a.columns[3].field.empty());
  const std::string json = mapping_to_json(a);
  CHECK(json.find("\"Name\": [") != std::string::npos);
  CHECK(json.find("\"Notes\": \"\"") != std::string::npos);

  Mapping b = auto_map(*find_mode("create"), headers);
  REQUIRE(apply_mapping_json(b, json).code.empty());
  for (size_t i = 0; i < headers.size(); ++i) {
    INFO("column " << i);
    CHECK(b.columns[i].field == a.columns[i].field);
  }
  CHECK(b.missing_required().empty());

  // A list shorter than the columns says nothing of the rest; a list of non-strings is refused.
  Mapping c = auto_map(*find_mode("create"), {"Name", "Name", "Mail"});
  REQUIRE(apply_mapping_json(c, R"({"mode":"create","columns":{"Name":["last_name"]}})").code.empty());
  CHECK(c.columns[0].field == "last_name");
  CHECK(c.columns[1].field.empty());
  CHECK(c.columns[2].field == "email");
  const Error refused = apply_mapping_json(c, R"({"mode":"create","columns":{"Name":[1,2]}})");
  CHECK(refused.code == "mapping_file_invalid");
  CHECK(refused.message.find("list of fields") != std::string::npos);
}

TEST_CASE("headers that look like a password are secret, in any supported language", "[mapping][secret]") {
  const char* header =
      GENERATE("Password", "password", "PASSWORD", "pass", "PW", "pwd", "Passcode", "Password 2", "password2",
               "User Password", "userPassword", "user_password", "userpassword", "Initial PW", "initialPw", "PWHash",
               "Temp Password [required]", "Passwort (neu)", "Passwort neu", "Startpasswort", "Paßwort", "Kennwort",
               "Mot de passe", "MotDePasse", "mot_de_passe", "Contraseña", "contrasena", "Clave", "Senha",
               "Senha inicial", "Wachtwoord", "Beginwachtwoord", "Hasło", "Пароль", "пароль пользователя", "パスワード",
               "初期パスワード", "ﾊﾟｽﾜｰﾄﾞ", "密码", "初始密碼", "비밀번호", "Lösenord", "Salasana", "Jelszó", "Şifre",
               "Κωδικός πρόσβασης", "Mật khẩu", "Kata sandi", "รหัสผ่าน", "ＰＡＳＳＷＯＲＤ");
  CAPTURE(header);
  CHECK(secret_header(header));
}

TEST_CASE("headers that merely contain the letters of a password word are not secret", "[mapping][secret]") {
  const char* header =
      GENERATE("Passport number", "passport", "PassportNo", "Compass", "Bypass reason", "bypass", "Passenger", "Email",
               "First name", "Node ID", "Power", "Pwn", "Resenha", "Company", "Paso", "Class", "Surpass", "Notes", "");
  CAPTURE(header);
  CHECK_FALSE(secret_header(header));
}

TEST_CASE("header words split where people join them", "[mapping][secret]") {
  CHECK(header_words("userPassword") == std::vector<std::string>{"user", "password"});
  CHECK(header_words("PWHash") == std::vector<std::string>{"pw", "hash"});
  CHECK(header_words("Password2") == std::vector<std::string>{"password", "2"});
  CHECK(header_words("  Passwort (neu) ") == std::vector<std::string>{"passwort", "neu"});
  CHECK(header_words("Contrase\xC3\xB1"
                     "a") == std::vector<std::string>{"contrasena"});
  // A combining mark stays in its word: "n" + U+0303 is one word, not "contrasen" and "a".
  CHECK(header_words("Contrasen\xCC\x83"
                     "a") == std::vector<std::string>{"contrasena"});
  CHECK(header_words("").empty());
}

TEST_CASE("a column on Ignore headed like a password is still secret: a mapped password column is",
          "[mapping][secret]") {
  Mapping m = auto_map(*find_mode("invite"), {"email", "Password 2", "Notes"});
  CHECK(m.columns[1].field.empty());
  CHECK(secret_columns(m) == std::vector<uint32_t>{1});
  Mapping c = auto_map(*find_mode("create"), {"email", "first_name", "last_name", "Notes"});
  REQUIRE(set_column(c, 3, "password").ok);
  CHECK(secret_columns(c) == std::vector<uint32_t>{3});
}

TEST_CASE("mask_issue keeps cell text out of an issue's arguments, codes and counts stay", "[mapping][secret]") {
  Issue quoted;
  quoted.code = "malformed_quotes";
  quoted.args = pack_args({"\"hunter2hunter2\"x\""});
  mask_issue(quoted, "password");
  CHECK(unpack_args(quoted.args) == std::vector<std::string_view>{"masked_value", "password"});
  mask_issue(quoted, "password");  // twice changes nothing
  CHECK(unpack_args(quoted.args) == std::vector<std::string_view>{"masked_value", "password"});

  Issue email;
  email.code = "email_invalid";
  email.args = pack_args({"hunter2\tx", "email_local_char", "char_tab"});
  mask_issue(email, "password");
  CHECK(unpack_args(email.args) ==
        std::vector<std::string_view>{"\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80"
                                      "\xA2\xE2\x80\xA2",
                                      "email_local_char", "char_tab"});

  Issue dup;
  dup.code = "duplicate_external_id";
  dup.args = pack_args({"hunter2", "7"});
  mask_issue(dup, "password");
  CHECK(unpack_args(dup.args) ==
        std::vector<std::string_view>{
            "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2", "7"});

  Issue count;
  count.code = "password_too_short";
  count.args = pack_args({"7"});
  mask_issue(count, "password");
  CHECK(unpack_args(count.args) == std::vector<std::string_view>{"7"});
}

// Qualified headers (issue 14): exact rules, each match names its rule in the column's note.
struct Qualified {
  std::string mode, header, field, note;
};

TEST_CASE("qualified headers from real templates map with their rule", "[mapping][qualified]") {
  auto q = GENERATE(values<Qualified>({
      // Google Workspace bulk upload (admin.google.com, Users > Bulk update users, CSV template).
      {"create", "First Name [Required]", "first_name",
       "Matched First name as \"First name\", reading past \"[Required]\": they do not change the meaning."},
      {"create", "Last Name [Required]", "last_name",
       "Matched Last name as \"Last name\", reading past \"[Required]\": they do not change the meaning."},
      {"create", "Email Address [Required]", "email",
       "Matched Email as \"email address\", reading past \"[Required]\": they do not change the meaning."},
      {"create", "Password [Required]", "password",
       "Matched Password as \"Password\", reading past \"[Required]\": they do not change the meaning."},
      {"create", "Employee ID", "external_id", ""},
      // Microsoft Entra ID bulk create (Users > Bulk operations > Bulk create, template row 2).
      {"create", "User name [userPrincipalName] Required", "email",
       "Matched Email by the property name [userPrincipalName] in the header."},
      {"create", "First name [givenName]", "first_name",
       "Matched First name by the property name [givenName] in the header."},
      {"create", "Last name [surname]", "last_name", "Matched Last name by the property name [surname] in the header."},
      {"create", "Initial password [passwordProfile] Required", "password",
       "Matched Password by the property name [passwordProfile] in the header."},
      {"invite", "Email [mail]", "email", "Matched Email by the property name [mail] in the header."},
      // Workday reports: "group - field" labels.
      {"create", "Legal Name - First Name", "first_name", "Matched First name as \"First name\" under \"legal name\"."},
      {"create", "Legal Name - Last Name", "last_name", "Matched Last name as \"Last name\" under \"legal name\"."},
      {"invite", "Email - Primary Work", "email",
       "Matched Email as \"Email\", reading past \"primary\", \"work\": they do not change the meaning."},
      // SCIM 2.0 (RFC 7643) attribute paths.
      {"create", "name.givenName", "first_name", "Matched First name by the SCIM attribute path name.givenName."},
      {"create", "name.familyName", "last_name", "Matched Last name by the SCIM attribute path name.familyName."},
      {"invite", "emails[0].value", "email", "Matched Email by the SCIM attribute path emails[0].value."},
      {"invite", "emails[type eq \"work\"].value", "email",
       "Matched Email by the SCIM attribute path emails[type eq \"work\"].value."},
      {"create", "externalId", "external_id", ""},
      // Google Contacts export.
      {"invite", "E-mail 1 - Value", "email",
       "Matched Email as \"Email\", reading past \"1\", \"value\": they do not change the meaning."},
      // Hand-made sheets.
      {"invite", "E-mail address (required)", "email",
       "Matched Email as \"email address\", reading past \"(required)\": they do not change the meaning."},
      {"invite", "Email (work)", "email",
       "Matched Email as \"Email\", reading past \"work\": they do not change the meaning."},
      {"invite", "Email*", "email", ""},
      {"invite", "Send email (yes/no)", "send_email",
       "Matched Send email as \"Send email\", reading past \"(yes/no)\": they do not change the meaning."},
      {"invite", "Business Email Address", "email",
       "Matched Email as \"email address\", reading past \"business\": they do not change the meaning."},
      {"invite", "Primary Login Email *", "email",
       "Matched Email as \"Email\", reading past \"primary\", \"login\": they do not change the meaning."},
  }));
  CAPTURE(q.mode, q.header);
  Mapping map = auto_map(*find_mode(q.mode), {q.header});
  CHECK(map.columns[0].status == ColumnStatus::matched);
  CHECK(map.columns[0].field == q.field);
  CHECK(map.columns[0].note == q.note);
}

TEST_CASE("qualifiers that change the meaning keep the column ignored and say why", "[mapping][qualified]") {
  auto q = GENERATE(values<Qualified>({
      {"invite", "Home Email", "email", "home"},
      {"invite", "Recovery Email", "email", "recovery"},
      {"invite", "New Primary Email [UPLOAD ONLY]", "email", "new"},
      {"invite", "Manager Email", "email", "manager"},
      {"invite", "Supervisor Email", "email", "supervisor"},
      {"invite", "Email consent", "email", "consent"},
      {"invite", "Email opt-in", "email", "opt in"},
      {"invite", "Personal Email", "email", "personal"},
      {"invite", "Private E-Mail", "email", "private"},
      {"invite", "Work Secondary Email", "email", "secondary"},
      {"invite", "Other Email", "email", "other"},
      {"invite", "Alternate Email", "email", "alternate"},
      {"invite", "Backup email address", "email", "backup"},
      {"invite", "Emergency Email", "email", "emergency"},
      {"invite", "Old Email", "email", "old"},
      {"invite", "Previous Last Name", "last_name", "previous"},
      {"create", "Manager First Name", "first_name", "manager"},
      {"invite", "Email - Primary Home", "email", "home"},
      {"invite", "E-mail 2 - Value", "email", "2"},
      {"invite", "emails[type eq \"home\"].value", "email", "home"},
      {"invite", "Emergency Contact Email", "email", "emergency"},
      {"create", "Manager Display First Name", "first_name", "manager"},
  }));
  CAPTURE(q.mode, q.header);
  Mapping map = auto_map(*find_mode(q.mode), {q.header});
  CHECK(map.columns[0].status == ColumnStatus::ignored);
  CHECK(map.columns[0].field.empty());
  const std::string label = q.field == "email" ? "email" : q.field == "first_name" ? "first name" : "last name";
  CHECK(map.columns[0].note == "Not mapped to " + label + ": \"" + q.note +
                                   "\" changes the meaning, it is not the person's own " + label +
                                   ". If this column is the one to import, map it to " + label + " yourself.");
}

TEST_CASE("a full-name header is never first or last name, and says so", "[mapping][qualified]") {
  const char* header = GENERATE("Name", "Full name", "Display name", "Name [displayName] Required", "name.formatted",
                                "Legal Name", "[displayName]", "Name (required)", "Display Name *");
  CAPTURE(header);
  Mapping map = auto_map(*find_mode("create"), {header});
  CHECK(map.columns[0].status == ColumnStatus::ignored);
  CHECK(map.columns[0].field.empty());
  CHECK(map.columns[0].note ==
        "Holds a full name, which is never mapped to first or last name. Map first and last name from the columns "
        "that hold them.");
}

TEST_CASE("qualified headers that say nothing known stay ignored without a reason", "[mapping][qualified]") {
  const char* header = GENERATE("Org Unit Path [Required]", "Password Hash Function [UPLOAD ONLY]",
                                "Block sign in (Yes/No) [accountEnabled] Required", "Usage location [usageLocation]",
                                "Work Phone", "E-mail 1 - Type", "Emergency Contact Phone", "Email (as in passport)",
                                "name.middleName", "Other", "Required", "Preferred Name - First Name", "Phone [",
                                "Change Password at Next Sign-In", "Business Name", "Other Name");
  CAPTURE(header);
  Mapping map = auto_map(*find_mode("create"), {header});
  CHECK(map.columns[0].status == ColumnStatus::ignored);
  CHECK(map.columns[0].field.empty());
  CHECK(map.columns[0].note.empty());
}

TEST_CASE("a whole template maps each field once, the rest says why", "[mapping][qualified]") {
  // Google Workspace's bulk-upload header row (shortened), in Bulk create.
  Mapping g =
      auto_map(*find_mode("create"),
               {"First Name [Required]", "Last Name [Required]", "Email Address [Required]", "Password [Required]",
                "Password Hash Function [UPLOAD ONLY]", "Org Unit Path [Required]", "New Primary Email [UPLOAD ONLY]",
                "Recovery Email", "Home Secondary Email", "Work Secondary Email", "Employee ID"});
  std::vector<std::string> fields;
  for (const auto& c : g.columns) fields.push_back(c.field);
  CHECK(fields == std::vector<std::string>{"first_name", "last_name", "email", "password", "", "", "", "", "", "",
                                           "external_id"});
  CHECK(g.missing_required().empty());
  // Entra ID's bulk-create row: the display name is not a first name, UPN is the login email.
  Mapping e = auto_map(*find_mode("create"), {"Name [displayName] Required", "User name [userPrincipalName] Required",
                                              "Initial password [passwordProfile] Required",
                                              "Block sign in (Yes/No) [accountEnabled] Required",
                                              "First name [givenName]", "Last name [surname]"});
  fields.clear();
  for (const auto& c : e.columns) fields.push_back(c.field);
  CHECK(fields == std::vector<std::string>{"", "email", "password", "", "first_name", "last_name"});
  // A second qualified email is a duplicate, naming the first.
  Mapping c = auto_map(*find_mode("invite"), {"E-mail 1 - Value", "Email (work)"});
  CHECK(c.columns[0].field == "email");
  CHECK(c.columns[1].status == ColumnStatus::duplicate);
  CHECK(
      c.columns[1].note ==
      "Column \"Email (work)\" would also map to Email, which column \"E-mail 1 - Value\" already has; it was left on "
      "Ignore.");
  CHECK(c.columns[1].note_code == "field_already_mapped");
  // A field the mode does not take.
  Mapping i = auto_map(*find_mode("invite"), {"Password [Required]"});
  CHECK(i.columns[0].field.empty());
  CHECK(i.columns[0].note == "Looks like Password, which Bulk invite does not take.");
  CHECK(i.columns[0].note_code == "field_not_in_mode");
  CHECK(unpack_args(i.columns[0].note_args) == std::vector<std::string_view>{"password", "invite"});
}

TEST_CASE("Workday, SCIM and Google Contacts header rows map each field once", "[mapping][qualified]") {
  const auto fields = [](const Mapping& m) {
    std::vector<std::string> out;
    for (const auto& c : m.columns) out.push_back(c.field);
    return out;
  };
  // A Workday worker report (custom report columns as Workday labels them).
  Mapping w = auto_map(*find_mode("create"), {"Employee ID", "Legal Name - First Name", "Legal Name - Last Name",
                                              "Preferred Name - First Name", "Email - Primary Work",
                                              "Email - Primary Home", "Manager", "Supervisory Organization"});
  CHECK(fields(w) == std::vector<std::string>{"external_id", "first_name", "last_name", "", "email", "", "", ""});
  CHECK(w.columns[5].note == format_message("header_qualifier_changes", {"email", "home"}));
  // A SCIM 2.0 Users export flattened to columns (RFC 7643 attribute paths).
  Mapping s = auto_map(*find_mode("create"),
                       {"id", "externalId", "userName", "name.givenName", "name.familyName", "name.formatted",
                        "displayName", "emails[type eq \"work\"].value", "emails[type eq \"home\"].value", "active"});
  CHECK(fields(s) ==
        std::vector<std::string>{"", "external_id", "", "first_name", "last_name", "", "", "email", "", ""});
  CHECK(s.columns[5].note_code == "header_full_name");
  CHECK(s.columns[6].note_code == "header_full_name");
  CHECK(s.columns[8].note == format_message("header_qualifier_changes", {"email", "home"}));
  // Google Contacts' CSV export.
  Mapping g = auto_map(*find_mode("create"), {"Name", "Given Name", "Additional Name", "Family Name", "E-mail 1 - Type",
                                              "E-mail 1 - Value", "E-mail 2 - Type", "E-mail 2 - Value"});
  CHECK(fields(g) == std::vector<std::string>{"", "first_name", "", "last_name", "", "email", "", ""});
  CHECK(g.columns[5].note_code == "header_read_past");
  CHECK(g.columns[7].note == format_message("header_qualifier_changes", {"email", "2"}));
  // Setting a column by hand clears the rule's note.
  REQUIRE(set_column(g, 0, "first_name").ok);
  CHECK(g.columns[0].note_code.empty());
  CHECK(g.columns[1].note_code == "field_moved_away");  // its field went to column 0
}

TEST_CASE("a login name is never mapped to email by itself, and says so", "[mapping][qualified]") {
  const char* header = GENERATE("userName", "Username", "User name", "Login name", "Login", "Sign-in name");
  CAPTURE(header);
  Mapping map = auto_map(*find_mode("invite"), {header});
  CHECK(map.columns[0].status == ColumnStatus::ignored);
  CHECK(map.columns[0].field.empty());
  CHECK(map.columns[0].note ==
        "A login name is often an email address, but not always: map this column to Email yourself if it holds the "
        "emails.");
}

namespace {

// One header row per language, as an HR system or a hand-made sheet in that language writes it:
// employee number, last name, first name, email, password, role id, node id, client id (create mode),
// then the application id (account mode). The expected fields are written here, not derived.
struct LanguageRow {
  const char* lang;
  std::vector<std::string> headers;  // create mode: external_id, last_name, first_name, email, password, role_id,
                                     // node_id, client_id
  std::string application_id;        // account mode
};

const std::vector<LanguageRow>& language_rows() {
  static const std::vector<LanguageRow> rows = {
      {"en",
       {"Employee ID", "Last Name", "First Name", "Email Address", "Password", "Role ID", "Node ID", "Client ID"},
       "Application ID"},
      {"de",
       {"Personalnummer", "Nachname", "Vorname", "E-Mail-Adresse", "Kennwort", "Rollen-ID", "Knoten-ID", "Client-ID"},
       "Anwendungs-ID"},
      {"fr",
       {"Matricule", "Nom", "Prénom", "Adresse e-mail", "Mot de passe", "ID du rôle", "ID du nœud", "ID client"},
       "ID de l'application"},
      {"es",
       {"Número de empleado", "Apellidos", "Nombre", "Correo electrónico", "Contraseña", "ID de rol", "ID de nodo",
        "ID del cliente"},
       "ID de aplicación"},
      {"it",
       {"Matricola", "Cognome", "Nome", "Indirizzo e-mail", "Password", "ID ruolo", "ID nodo", "ID cliente"},
       "ID applicazione"},
      {"nl",
       {"Personeelsnummer", "Achternaam", "Voornaam", "E-mailadres", "Wachtwoord", "Rol-ID", "Knooppunt-ID",
        "Client-ID"},
       "Applicatie-ID"},
      {"pt",
       {"Número de funcionário", "Sobrenome", "Primeiro nome", "Endereço de e-mail", "Senha", "ID da função",
        "ID do nó", "ID cliente"},
       "ID da aplicação"},
      {"sv",
       {"Anställningsnummer", "Efternamn", "Förnamn", "E-postadress", "Lösenord", "Roll-ID", "Nod-ID", "Klient-ID"},
       "Applikations-ID"},
      {"da",
       {"Medarbejdernummer", "Efternavn", "Fornavn", "E-mailadresse", "Adgangskode", "Rolle-ID", "Node-ID",
        "Klient-ID"},
       "Applikations-ID"},
      {"nb",
       {"Ansattnummer", "Etternavn", "Fornavn", "E-postadresse", "Passord", "Rolle-ID", "Node-ID", "Klient-ID"},
       "Applikasjons-ID"},
      {"fi",
       {"Henkilönumero", "Sukunimi", "Etunimi", "Sähköpostiosoite", "Salasana", "Roolin tunnus", "Solmun tunnus",
        "Client ID"},
       "Sovelluksen tunnus"},
      {"pl",
       {"Numer pracownika", "Nazwisko", "Imię", "Adres e-mail", "Hasło", "ID roli", "ID węzła", "ID klienta"},
       "ID aplikacji"},
      {"cs",
       {"Osobní číslo", "Příjmení", "Jméno", "E-mailová adresa", "Heslo", "ID role", "ID uzlu", "ID klienta"},
       "ID aplikace"},
      {"hu",
       {"Törzsszám", "Vezetéknév", "Keresztnév", "E-mail cím", "Jelszó", "Szerepkör azonosító", "Csomópont azonosító",
        "Kliens azonosító"},
       "Alkalmazás azonosító"},
      {"ro",
       {"Număr marcă", "Nume", "Prenume", "Adresă de e-mail", "Parolă", "ID rol", "ID nod", "ID client"},
       "ID aplicație"},
      {"tr",
       {"Sicil No", "Soyadı", "Adı", "E-posta adresi", "Şifre", "Rol kimliği", "Düğüm ID", "İstemci ID"},
       "Uygulama ID"},
      {"el",
       {"Αριθμός μητρώου", "Επώνυμο", "Όνομα", "Διεύθυνση email", "Κωδικός πρόσβασης", "ID ρόλου", "ID κόμβου",
        "ID πελάτη"},
       "ID εφαρμογής"},
      {"ru",
       {"Табельный номер", "Фамилия", "Имя", "Эл. почта", "Пароль", "ID роли", "ID узла", "ID клиента"},
       "ID приложения"},
      {"uk",
       {"Табельний номер", "Прізвище", "Ім'я", "Електронна пошта", "Пароль", "ID ролі", "ID вузла", "ID клієнта"},
       "ID застосунку"},
      {"he",
       {"מספר עובד", "שם משפחה", "שם פרטי", "דוא\"ל", "סיסמה", "מזהה תפקיד", "מזהה צומת", "מזהה לקוח"},
       "מזהה יישום"},
      {"ar",
       {"الرقم الوظيفي", "اسم العائلة", "الاسم الأول", "البريد الإلكتروني", "كلمة المرور", "معرف الدور", "معرف العقدة",
        "معرف العميل"},
       "معرف التطبيق"},
      {"ja",
       {"社員番号", "姓", "名", "メールアドレス", "パスワード", "ロールID", "ノードID", "クライアントID"},
       "アプリケーションID"},
      {"zh-Hans", {"工号", "姓", "名", "电子邮件", "密码", "角色ID", "节点ID", "客户端ID"}, "应用ID"},
      {"zh-Hant", {"員工編號", "姓", "名", "電子郵件", "密碼", "角色ID", "節點ID", "用戶端ID"}, "應用程式ID"},
      {"ko", {"사번", "성", "이름", "이메일", "비밀번호", "역할 ID", "노드 ID", "클라이언트 ID"}, "애플리케이션 ID"},
      {"vi",
       {"Mã nhân viên", "Họ", "Tên", "Địa chỉ email", "Mật khẩu", "ID vai trò", "ID nút", "ID khách hàng"},
       "ID ứng dụng"},
      {"id",
       {"Nomor karyawan", "Nama belakang", "Nama depan", "Alamat email", "Kata sandi", "ID peran", "ID simpul",
        "ID klien"},
       "ID aplikasi"},
      {"th", {"รหัสพนักงาน", "นามสกุล", "ชื่อ", "อีเมล", "รหัสผ่าน", "รหัสบทบาท", "รหัสโหนด", "รหัสไคลเอ็นต์"}, "รหัสแอปพลิเคชัน"},
  };
  return rows;
}

}  // namespace

TEST_CASE("a header row in each of the 28 languages maps every field once", "[mapping][languages]") {
  const std::vector<std::string> fields = {"external_id", "last_name", "first_name", "email",
                                           "password",    "role_id",   "node_id",    "client_id"};
  std::set<std::string> langs;
  for (const LanguageRow& row : language_rows()) {
    CAPTURE(row.lang);
    langs.insert(row.lang);
    REQUIRE(row.headers.size() == fields.size());
    const Mapping map = auto_map(*find_mode("create"), row.headers);
    for (size_t c = 0; c < fields.size(); ++c) {
      CAPTURE(row.headers[c]);
      CHECK(map.columns[c].field == fields[c]);
      CHECK(map.columns[c].status == ColumnStatus::matched);
    }
    CHECK(map.missing_required().empty());
    const Mapping account = auto_map(*find_mode("account"), {row.application_id, row.headers[3]});
    CAPTURE(row.application_id);
    CHECK(account.columns[0].field == "application_id");
    CHECK(secret_header(row.headers[4]));  // the password column is masked wherever cells are shown
  }
  CHECK(langs.size() == 28);
}

TEST_CASE("other forms HR systems use map too", "[mapping][languages]") {
  auto [header, field] = GENERATE(table<std::string, std::string>({
      {"メール", "email"},
      {"Eメール", "email"},
      {"電子メール", "email"},
      {"従業員番号", "external_id"},
      {"邮箱", "email"},
      {"电子邮箱", "email"},
      {"员工编号", "external_id"},
      {"姓氏", "last_name"},
      {"電郵", "email"},
      {"工號", "external_id"},
      {"이메일 주소", "email"},
      {"사원번호", "external_id"},
      {"Электронная почта", "email"},
      {"Табельный №", "external_id"},
      {"Ел. пошта", "email"},
      {"Imię", "first_name"},
      {"E-posta", "email"},
      {"Ad", "first_name"},
      {"Soyad", "last_name"},
      {"דואר אלקטרוני", "email"},
      {"סיסמא", "password"},
      {"البريد الالكتروني", "email"},
      {"E-post", "email"},
      {"Sähköposti", "email"},
      {"Surel", "email"},
      {"Nama keluarga", "last_name"},
      {"Mã NV", "external_id"},
      {"อีเมล์", "email"},
      {"ชื่อจริง", "first_name"},
      {"Parola", "password"},
      {"Családnév", "last_name"},
      {"Utónév", "first_name"},
      {"Křestní jméno", "first_name"},
      {"Nume de familie", "last_name"},
      {"Ηλεκτρονικό ταχυδρομείο", "email"},
      // Not a field: a patronymic, the kana reading of a name, a personal address.
      {"Отчество", ""},
      {"セイ", ""},
      {"メイ", ""},
      {"Personal Email", ""},
  }));
  CAPTURE(header);
  const Mapping map = auto_map(*find_mode("create"), {header});
  CHECK(map.columns[0].field == field);
}

TEST_CASE("a full name in any language is never first or last name", "[mapping][languages]") {
  const char* header =
      GENERATE("氏名", "名前", "フルネーム", "姓名", "성명", "ФИО", "Полное имя", "ПІБ", "Imię i nazwisko", "Ad Soyad",
               "Adı Soyadı", "שם מלא", "الاسم الكامل", "Họ và tên", "Họ tên", "Nama lengkap", "ชื่อ-นามสกุล",
               "Ονοματεπώνυμο", "Nume complet", "Teljes név", "Név", "Celé jméno", "Koko nimi", "Nimi",
               "Fullständigt namn", "Namn", "Navn", "Fulde navn", "Fullt navn", "Volledige naam", "Naam",
               "Nome completo", "Nombre completo", "Nom complet", "Vollständiger Name");
  CAPTURE(header);
  const Mapping map = auto_map(*find_mode("create"), {header});
  CHECK(map.columns[0].status == ColumnStatus::ignored);
  CHECK(map.columns[0].field.empty());
  CHECK(map.columns[0].note_code == "header_full_name");
}

TEST_CASE("no full-name or login-name header is also an alias", "[mapping][languages]") {
  std::set<std::string> aliases;
  for (const auto& a : all_aliases()) aliases.insert(normalize_header(a.alias));
  for (auto n : full_name_headers()) {
    CAPTURE(n);
    CHECK(aliases.count(normalize_header(n)) == 0);
  }
  for (auto n : login_name_headers()) {
    CAPTURE(n);
    CHECK(aliases.count(normalize_header(n)) == 0);
  }
}

TEST_CASE("full names split only in the forms that read with confidence", "[mapping][split]") {
  auto [name, first, last] = GENERATE(table<std::string, std::string, std::string>({
      {"Ada Lovelace", "Ada", "Lovelace"},
      {"  Ada   Lovelace ", "Ada", "Lovelace"},
      {"Mary Ann Smith", "Mary Ann", "Smith"},
      {"Lovelace, Ada", "Ada", "Lovelace"},
      {"Hopper, Grace Brewster", "Grace Brewster", "Hopper"},
      {"Ludwig van Beethoven", "Ludwig", "van Beethoven"},
      {"Johannes van der Waals", "Johannes", "van der Waals"},
      {"de la Cruz, Ana", "Ana", "de la Cruz"},
      {"Zoë Ångström", "Zoë", "Ångström"},
      {"Анна Каренина", "Анна", "Каренина"},
  }));
  CAPTURE(name);
  const NameSplit s = split_full_name(name);
  CHECK(s.unsure.empty());
  CHECK(s.first == first);
  CHECK(s.last == last);
}

TEST_CASE("a full name that cannot be split with confidence is not guessed", "[mapping][split]") {
  auto [name, why] = GENERATE(table<std::string, std::string>({
      {"Madonna", "name_split_one_word"},
      {"José María García López", "name_split_many_words"},
      {"García López, María", "name_split_many_words"},
      {"Smith, John, Jr", "name_split_commas"},
      {"Dr. Ada Lovelace", "name_split_title"},
      {"Martin Luther King Jr", "name_split_title"},
      {"Anna Maria Luisa Bianchi", "name_split_many_words"},
      {"John Smith III", "name_split_title"},
      {"山田太郎", "name_split_cjk"},
      {"山田 太郎", "name_split_cjk"},
      {"김민준", "name_split_cjk"},
      {"王 小明", "name_split_cjk"},
      {"Lovelace,", "name_split_one_word"},
  }));
  CAPTURE(name);
  const NameSplit s = split_full_name(name);
  CHECK(s.unsure == why);
  CHECK(s.first.empty());
  CHECK(s.last.empty());
  CHECK(find_message(s.unsure) != nullptr);
}

TEST_CASE("splitting a full-name column gives first and last name, and stops when the user maps them",
          "[mapping][split]") {
  Mapping m = auto_map(*find_mode("create"), {"Email", "Name", "Notes"});
  CHECK(m.missing_required() == std::vector<std::string_view>{"first_name", "last_name"});
  REQUIRE(set_split_column(m, 1).ok);
  CHECK(m.split_column == 1);
  CHECK(m.columns[1].status == ColumnStatus::split);
  CHECK(m.columns[1].field.empty());
  CHECK(m.missing_required().empty());
  CHECK(m.source_of("first_name").column == 1);
  CHECK(m.source_of("first_name").part == NamePart::first);
  CHECK(m.source_of("last_name").part == NamePart::last);
  CHECK(m.source_of("email").column == 0);
  CHECK(m.source_of("email").part == NamePart::whole);
  // Saved and restored with the mapping.
  const std::string json = mapping_to_json(m);
  CHECK(json.find("\"split_name\": \"Name\"") != std::string::npos);
  Mapping again = auto_map(*find_mode("create"), {"Email", "Name", "Notes"});
  REQUIRE(apply_mapping_json(again, json).code.empty());
  CHECK(again.split_column == 1);
  // Mapping a column to first name stops the split: last name is missing again, and the user sees why.
  REQUIRE(set_column(m, 2, "first_name").ok);
  CHECK(m.split_column == -1);
  CHECK(m.columns[1].status == ColumnStatus::ignored);
  CHECK(m.missing_required() == std::vector<std::string_view>{"last_name"});
  // Refused while a name field is mapped, with why; -1 stops.
  const SetColumnResult refused = set_split_column(m, 1);
  CHECK(!refused.ok);
  CHECK(refused.message ==
        "First name is already mapped from column \"Notes\". Set that column to Ignore first, then "
        "split the full names.");
  // A column headed like a password is never read as names.
  Mapping secret = auto_map(*find_mode("invite"), {"Email", "Password"});
  const SetColumnResult pw = set_split_column(secret, 1);
  CHECK(!pw.ok);
  CHECK(pw.message.find("headed like a password") != std::string::npos);
  REQUIRE(set_split_column(again, -1).ok);
  CHECK(again.split_column == -1);
  CHECK(again.columns[1].note_code == "header_full_name");
}

TEST_CASE("the table is the only place: examples name their fields, limits and lookups are columns of it",
          "[mapping][schema]") {
  for (const ModeSpec& mode : all_modes()) {
    CAPTURE(mode.id);
    REQUIRE_FALSE(mode.examples.empty());
    for (const auto& row : mode.examples) {
      std::set<std::string_view> seen;
      for (const ExampleValue& v : row) {
        CAPTURE(v.field);
        CHECK(mode_has_field(mode, v.field));
        CHECK(seen.insert(v.field).second);
      }
      for (std::string_view required : mode.required)
        CHECK(seen.count(required) == (required == "email" || mode.id != "invite" ? 1u : 0u));
    }
  }
  CHECK(find_field("first_name")->max_chars == 100);
  CHECK(find_field("password")->min_chars == 8);
  CHECK(find_field("password")->max_bytes == 72);
  CHECK(find_field("email")->lookup == Lookup::none);
  CHECK(find_field("role_id")->lookup == Lookup::roles);
  CHECK(find_field("client_id")->lookup == Lookup::clients);
  CHECK(boolean_word("YES") == std::optional<bool>(true));
  CHECK(boolean_word("Off") == std::optional<bool>(false));
  CHECK(boolean_word("") == std::nullopt);
  CHECK(boolean_word("yess") == std::nullopt);
}
