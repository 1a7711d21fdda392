#include "mapping/schema.h"

namespace canopy {

const std::vector<FieldSpec>& all_fields() {
  // clang-format off
  static const std::vector<FieldSpec> fields = {
    {"email", FieldKind::email, "Email", "The person's email address; unique in the file and in the scope.", "name@example.com", false},
    {"first_name", FieldKind::name, "First name", "Given name, at most 100 characters.", "text", false, NamePart::first, Lookup::none, 0, 100},
    {"last_name", FieldKind::name, "Last name", "Family name, at most 100 characters.", "text", false, NamePart::last, Lookup::none, 0, 100},
    {"password", FieldKind::password, "Password", "Starting password the person can change after first login; 8 characters to 72 UTF-8 bytes. Never exported.", "8+ characters", true, NamePart::whole, Lookup::none, 8, 0, 72},
    {"role_id", FieldKind::role_id, "Role ID", "Role to assign, by id; needs node_id too. Leave empty for no role.", "UUID", false, NamePart::whole, Lookup::roles},
    {"node_id", FieldKind::node_id, "Node ID", "Node the role is assigned on, by id; needs role_id too.", "UUID", false, NamePart::whole, Lookup::nodes},
    {"client_id", FieldKind::client_id, "OAuth client ID", "client_id of one of the environment's OAuth clients. Leave empty for none.", "client id", false, NamePart::whole, Lookup::clients},
    {"application_id", FieldKind::application_id, "Application ID", "Application to link the identity to (an AppMembership), by id.", "UUID", false, NamePart::whole, Lookup::applications},
    {"external_id", FieldKind::external_id, "External ID", "Your own id for the person (HR number, IdP subject); unique in the file.", "text", false},
    {"send_email", FieldKind::send_email, "Send email", "Whether to mail the invite: true/false, yes/no, 1/0 (empty means true). false returns the accept link instead.", "true/false", false},
  };
  // clang-format on
  return fields;
}

const std::vector<ModeSpec>& all_modes() {
  // Example ids are the reference server's seeded demo data (tools/server/seed.mjs); a sample made for
  // another environment swaps in its ids (SampleIds). Each mode has its own people, so importing one
  // sample never makes another fail with email_exists.
  // clang-format off
  static const std::vector<ModeSpec> modes = {
    {"invite", "Bulk invite",
     "Emails each person a link to set their own password; the identity, membership and optional role are created when they accept.",
     Scope::environment, "access-control",
     "/api/v1/environments/{environment_id}/identity-invites/bulk-create",
     "/api/v1/environments/{environment_id}/identities/lookup", "invited",
     {"email"}, {"first_name", "last_name", "role_id", "node_id", "client_id", "send_email"},
     {{{"email", "ada.lovelace@example.com"}, {"first_name", "Ada"}, {"last_name", "Lovelace"},
       {"role_id", "5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01"}, {"node_id", "8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01"}, {"send_email", "true"}},
      {{"email", "grace.hopper@example.com"}, {"first_name", "Grace"}, {"last_name", "Hopper"}, {"client_id", "dashboard-web"}, {"send_email", "false"}},
      {{"email", "alan.turing@example.com"}}}},
    {"create", "Bulk create",
     "Writes the identities directly, without any email; optionally with a starting password and a role on a node.",
     Scope::environment, "access-control",
     "/api/v1/portal/environments/{environment_id}/identities/bulk-create",
     "/api/v1/environments/{environment_id}/identities/lookup", "created",
     {"email", "first_name", "last_name"}, {"password", "role_id", "node_id", "client_id", "external_id"},
     {{{"email", "katherine.johnson@example.com"}, {"first_name", "Katherine"}, {"last_name", "Johnson"}, {"password", "Orbital-Mechanics-1962"},
       {"role_id", "5b0f7a53-3c1e-4d2a-9b47-2f6a1c9e8d01"}, {"node_id", "8d3c2b1a-6f5e-4d7c-8b9a-0e1f2a3b4c01"}, {"external_id", "HR-1001"}},
      {{"email", "dorothy.vaughan@example.com"}, {"first_name", "Dorothy"}, {"last_name", "Vaughan"}, {"client_id", "dashboard-web"}, {"external_id", "HR-1002"}},
      {{"email", "mary.jackson@example.com"}, {"first_name", "Mary"}, {"last_name", "Jackson"}}}},
    {"account", "Account-tier bulk create",
     "Writes directory-only identities to the account, with no role, node or environment; for directories you pre-stage.",
     Scope::account, "tenant",
     "/api/v1/identities/bulk-create", "/api/v1/identities/lookup", "created",
     {"email", "first_name", "last_name"}, {"password", "external_id", "application_id"},
     {{{"email", "margaret.hamilton@example.com"}, {"first_name", "Margaret"}, {"last_name", "Hamilton"}, {"password", "Apollo-Guidance-1969"},
       {"external_id", "HR-2001"}, {"application_id", "a1c2e3f4-5b6d-4e7f-8a9b-0c1d2e3f4a01"}},
      {{"email", "hedy.lamarr@example.com"}, {"first_name", "Hedy"}, {"last_name", "Lamarr"}, {"external_id", "HR-2002"}},
      {{"email", "radia.perlman@example.com"}, {"first_name", "Radia"}, {"last_name", "Perlman"}}}},
  };
  // clang-format on
  return modes;
}

const std::vector<Alias>& all_aliases() {
  // Matched exactly after normalize_header() (NFKC case fold, accents and punctuation removed), so
  // "E-Mail", "e_mail" and "Ｅ－ｍａｉｌ" are one alias. Never add a word that names two fields.
  // clang-format off
  static const std::vector<Alias> aliases = {
    // email
    {"email", "email"}, {"email", "e-mail"}, {"email", "email address"}, {"email", "e-mail address"},
    {"email", "mail"}, {"email", "mail address"}, {"email", "primary email"}, {"email", "work email"},
    {"email", "business email"}, {"email", "user email"}, {"email", "login email"}, {"email", "emails"},
    {"email", "e-mail-adresse"}, {"email", "mailadresse"}, {"email", "emailadresse"},             // de
    {"email", "courriel"}, {"email", "adresse e-mail"}, {"email", "adresse email"},               // fr
    {"email", "adresse courriel"}, {"email", "mél"},
    {"email", "correo"}, {"email", "correo electrónico"}, {"email", "correo electronico"},        // es
    {"email", "dirección de correo"}, {"email", "dirección de correo electrónico"},
    {"email", "posta elettronica"}, {"email", "indirizzo email"}, {"email", "indirizzo e-mail"},  // it
    {"email", "e-mailadres"}, {"email", "emailadres"}, {"email", "mailadres"},                     // nl
    {"email", "endereço de email"}, {"email", "endereço de e-mail"}, {"email", "correio eletrônico"},  // pt
    {"email", "correio electrónico"}, {"email", "endereco de email"},
    {"email", "e-post"}, {"email", "e-postadress"}, {"email", "mejladress"},  // sv
    {"email", "e-mailadresse"},  // da
    {"email", "e-postadresse"},  // nb
    {"email", "sähköposti"}, {"email", "sähköpostiosoite"},  // fi
    {"email", "adres e-mail"}, {"email", "adres email"}, {"email", "adres poczty elektronicznej"},  // pl
    {"email", "e-mailová adresa"}, {"email", "emailová adresa"},  // cs
    {"email", "e-mail cím"}, {"email", "email cím"},  // hu
    {"email", "adresă de e-mail"}, {"email", "adresă de email"}, {"email", "adresa de e-mail"},  // ro
    {"email", "e-posta"}, {"email", "e-posta adresi"},  // tr
    {"email", "ηλεκτρονικό ταχυδρομείο"}, {"email", "διεύθυνση email"}, {"email", "διεύθυνση ηλεκτρονικού ταχυδρομείου"},  // el
    {"email", "эл. почта"}, {"email", "электронная почта"}, {"email", "адрес электронной почты"}, {"email", "почта"}, {"email", "емейл"},  // ru
    {"email", "електронна пошта"}, {"email", "ел. пошта"}, {"email", "адреса електронної пошти"}, {"email", "пошта"},  // uk
    {"email", "דוא\"ל"}, {"email", "דואר אלקטרוני"}, {"email", "כתובת דוא\"ל"}, {"email", "אימייל"},  // he
    {"email", "البريد الإلكتروني"}, {"email", "بريد إلكتروني"}, {"email", "عنوان البريد الإلكتروني"}, {"email", "الإيميل"},  // ar
    {"email", "メールアドレス"}, {"email", "メール"}, {"email", "eメール"}, {"email", "電子メール"}, {"email", "電子メールアドレス"},  // ja
    {"email", "邮箱"}, {"email", "电子邮件"}, {"email", "电子邮箱"}, {"email", "邮件地址"}, {"email", "邮箱地址"}, {"email", "电子邮件地址"},  // zh-Hans
    {"email", "電子郵件"}, {"email", "電郵"}, {"email", "郵箱"}, {"email", "電子郵件地址"}, {"email", "電子信箱"},  // zh-Hant
    {"email", "이메일"}, {"email", "이메일 주소"}, {"email", "전자우편"}, {"email", "전자 메일"},  // ko
    {"email", "địa chỉ email"}, {"email", "thư điện tử"},  // vi
    {"email", "alamat email"}, {"email", "alamat surel"}, {"email", "surel"},  // id
    {"email", "อีเมล"}, {"email", "อีเมล์"}, {"email", "ที่อยู่อีเมล"},  // th
    // first_name
    {"first_name", "first name"}, {"first_name", "firstname"}, {"first_name", "first"},
    {"first_name", "given name"}, {"first_name", "givenname"}, {"first_name", "forename"},
    {"first_name", "fname"}, {"first_name", "given"},
    {"first_name", "vorname"}, {"first_name", "rufname"},                                          // de
    {"first_name", "prénom"},                                                                       // fr
    {"first_name", "nombre"}, {"first_name", "nombre de pila"},                                    // es
    {"first_name", "nome"}, {"first_name", "nome proprio"}, {"first_name", "primo nome"},          // it, pt
    {"first_name", "voornaam"}, {"first_name", "roepnaam"},                                        // nl
    {"first_name", "primeiro nome"}, {"first_name", "nome próprio"},                               // pt
    {"first_name", "förnamn"}, {"first_name", "tilltalsnamn"},  // sv
    {"first_name", "fornavn"},  // da, nb
    {"first_name", "etunimi"}, {"first_name", "kutsumanimi"},  // fi
    {"first_name", "imię"},  // pl
    {"first_name", "jméno"}, {"first_name", "křestní jméno"},  // cs
    {"first_name", "keresztnév"}, {"first_name", "utónév"},  // hu
    {"first_name", "prenume"},  // ro
    {"first_name", "ad"}, {"first_name", "adı"},  // tr
    {"first_name", "όνομα"},  // el
    {"first_name", "имя"},  // ru
    {"first_name", "ім'я"}, {"first_name", "імʼя"},  // uk
    {"first_name", "שם פרטי"},  // he
    {"first_name", "الاسم الأول"},  // ar
    {"first_name", "名"},  // ja, zh
    {"first_name", "이름"},  // ko
    {"first_name", "tên"},  // vi
    {"first_name", "nama depan"},  // id
    {"first_name", "ชื่อ"}, {"first_name", "ชื่อจริง"},  // th
    // last_name
    {"last_name", "last name"}, {"last_name", "lastname"}, {"last_name", "last"},
    {"last_name", "surname"}, {"last_name", "family name"}, {"last_name", "familyname"},
    {"last_name", "lname"}, {"last_name", "sn"},
    {"last_name", "nachname"}, {"last_name", "familienname"}, {"last_name", "zuname"},             // de
    {"last_name", "nom"}, {"last_name", "nom de famille"},                                         // fr
    {"last_name", "apellido"}, {"last_name", "apellidos"}, {"last_name", "primer apellido"},       // es
    {"last_name", "cognome"},                                                                       // it
    {"last_name", "achternaam"}, {"last_name", "familienaam"},                                     // nl
    {"last_name", "sobrenome"}, {"last_name", "apelido"}, {"last_name", "último nome"},            // pt
    {"last_name", "efternamn"},  // sv
    {"last_name", "efternavn"},  // da
    {"last_name", "etternavn"},  // nb
    {"last_name", "sukunimi"},  // fi
    {"last_name", "nazwisko"},  // pl
    {"last_name", "příjmení"},  // cs
    {"last_name", "vezetéknév"}, {"last_name", "családnév"},  // hu
    {"last_name", "nume"}, {"last_name", "nume de familie"},  // ro
    {"last_name", "soyad"}, {"last_name", "soyadı"},  // tr
    {"last_name", "επώνυμο"},  // el
    {"last_name", "фамилия"},  // ru
    {"last_name", "прізвище"},  // uk
    {"last_name", "שם משפחה"},  // he
    {"last_name", "اسم العائلة"}, {"last_name", "الاسم الأخير"}, {"last_name", "اللقب"},  // ar
    {"last_name", "苗字"},  // ja
    {"last_name", "姓氏"},  // zh
    {"last_name", "성"},  // ko
    {"last_name", "họ"},  // vi
    {"last_name", "nama belakang"}, {"last_name", "nama keluarga"},  // id
    {"last_name", "นามสกุล"},  // th
    {"last_name", "姓"},  // ja, zh
    // password
    {"password", "password"}, {"password", "initial password"}, {"password", "temporary password"},
    {"password", "starting password"}, {"password", "temp password"}, {"password", "pwd"},
    {"password", "passwort"}, {"password", "kennwort"}, {"password", "mot de passe"},
    {"password", "contraseña"}, {"password", "clave"}, {"password", "wachtwoord"}, {"password", "senha"},
    {"password", "lösenord"},  // sv
    {"password", "adgangskode"},  // da
    {"password", "passord"},  // nb
    {"password", "salasana"},  // fi
    {"password", "hasło"},  // pl
    {"password", "heslo"},  // cs
    {"password", "jelszó"},  // hu
    {"password", "parolă"},  // ro
    {"password", "şifre"}, {"password", "parola"},  // tr
    {"password", "κωδικός πρόσβασης"}, {"password", "συνθηματικό"},  // el
    {"password", "пароль"},  // ru, uk
    {"password", "סיסמה"}, {"password", "סיסמא"},  // he
    {"password", "كلمة المرور"}, {"password", "كلمة السر"},  // ar
    {"password", "パスワード"}, {"password", "初期パスワード"},  // ja
    {"password", "密码"}, {"password", "初始密码"},  // zh-Hans
    {"password", "密碼"}, {"password", "初始密碼"},  // zh-Hant
    {"password", "비밀번호"}, {"password", "암호"},  // ko
    {"password", "mật khẩu"},  // vi
    {"password", "kata sandi"},  // id
    {"password", "รหัสผ่าน"},  // th
    // role_id
    {"role_id", "role id"}, {"role_id", "roleid"}, {"role_id", "role uuid"}, {"role_id", "rollen-id"},
    {"role_id", "rollen id"}, {"role_id", "id du rôle"}, {"role_id", "id de rol"}, {"role_id", "id ruolo"},
    {"role_id", "rol-id"}, {"role_id", "id da função"},
    {"role_id", "roll-id"}, {"role_id", "rolle-id"}, {"role_id", "roolin tunnus"}, {"role_id", "rooli-id"}, {"role_id", "id roli"}, {"role_id", "identyfikator roli"}, {"role_id", "id role"}, {"role_id", "szerepkör azonosító"}, {"role_id", "id rol"}, {"role_id", "rol kimliği"}, {"role_id", "id ρόλου"}, {"role_id", "id роли"}, {"role_id", "идентификатор роли"}, {"role_id", "id ролі"}, {"role_id", "מזהה תפקיד"}, {"role_id", "معرف الدور"}, {"role_id", "ロールid"}, {"role_id", "角色id"}, {"role_id", "역할 id"}, {"role_id", "id vai trò"}, {"role_id", "mã vai trò"}, {"role_id", "id peran"}, {"role_id", "รหัสบทบาท"},
    // node_id
    {"node_id", "node id"}, {"node_id", "nodeid"}, {"node_id", "node uuid"}, {"node_id", "knoten-id"},
    {"node_id", "knoten id"}, {"node_id", "id du nœud"}, {"node_id", "id du noeud"}, {"node_id", "id de nodo"},
    {"node_id", "id nodo"}, {"node_id", "knooppunt-id"}, {"node_id", "id do nó"},
    {"node_id", "nod-id"}, {"node_id", "solmun tunnus"}, {"node_id", "id węzła"}, {"node_id", "id uzlu"}, {"node_id", "csomópont azonosító"}, {"node_id", "id nod"}, {"node_id", "düğüm id"}, {"node_id", "id κόμβου"}, {"node_id", "id узла"}, {"node_id", "id вузла"}, {"node_id", "מזהה צומת"}, {"node_id", "معرف العقدة"}, {"node_id", "ノードid"}, {"node_id", "节点id"}, {"node_id", "節點id"}, {"node_id", "노드 id"}, {"node_id", "id nút"}, {"node_id", "id simpul"}, {"node_id", "รหัสโหนด"},
    // client_id
    {"client_id", "client id"}, {"client_id", "clientid"}, {"client_id", "oauth client id"},
    {"client_id", "oauth client"}, {"client_id", "oauth2 client id"}, {"client_id", "client-id"},
    {"client_id", "id client"}, {"client_id", "id del cliente"}, {"client_id", "id cliente"},
    {"client_id", "klient-id"}, {"client_id", "id klienta"}, {"client_id", "kliens azonosító"}, {"client_id", "istemci id"}, {"client_id", "id πελάτη"}, {"client_id", "id клиента"}, {"client_id", "id клієнта"}, {"client_id", "מזהה לקוח"}, {"client_id", "معرف العميل"}, {"client_id", "クライアントid"}, {"client_id", "客户端id"}, {"client_id", "用戶端id"}, {"client_id", "클라이언트 id"}, {"client_id", "id khách hàng"}, {"client_id", "id klien"}, {"client_id", "รหัสไคลเอ็นต์"},
    // application_id
    {"application_id", "application id"}, {"application_id", "applicationid"}, {"application_id", "app id"},
    {"application_id", "appid"}, {"application_id", "application uuid"}, {"application_id", "anwendungs-id"},
    {"application_id", "id de l'application"}, {"application_id", "id de aplicación"},
    {"application_id", "id applicazione"}, {"application_id", "applicatie-id"}, {"application_id", "id da aplicação"},
    {"application_id", "applikations-id"}, {"application_id", "applikasjons-id"}, {"application_id", "sovelluksen tunnus"}, {"application_id", "id aplikacji"}, {"application_id", "id aplikace"}, {"application_id", "alkalmazás azonosító"}, {"application_id", "id aplicație"}, {"application_id", "uygulama id"}, {"application_id", "id εφαρμογής"}, {"application_id", "id приложения"}, {"application_id", "id застосунку"}, {"application_id", "מזהה יישום"}, {"application_id", "معرف التطبيق"}, {"application_id", "アプリケーションid"}, {"application_id", "应用id"}, {"application_id", "應用程式id"}, {"application_id", "애플리케이션 id"}, {"application_id", "id ứng dụng"}, {"application_id", "id aplikasi"}, {"application_id", "รหัสแอปพลิเคชัน"},
    // external_id
    {"external_id", "external id"}, {"external_id", "externalid"}, {"external_id", "employee id"},
    {"external_id", "employee number"}, {"external_id", "employee no"}, {"external_id", "staff id"},
    {"external_id", "personnel number"}, {"external_id", "hr id"}, {"external_id", "ext id"},
    {"external_id", "employee identifier"}, {"external_id", "emp id"}, {"external_id", "employee #"},
    {"external_id", "personalnummer"}, {"external_id", "mitarbeiternummer"}, {"external_id", "externe id"},
    {"external_id", "matricule"}, {"external_id", "identifiant externe"}, {"external_id", "id externe"},
    {"external_id", "id externo"}, {"external_id", "número de empleado"}, {"external_id", "matricola"},
    {"external_id", "id esterno"}, {"external_id", "personeelsnummer"}, {"external_id", "externe-id"},
    {"external_id", "número de funcionário"}, {"external_id", "matrícula"},
    {"external_id", "anställningsnummer"}, {"external_id", "anställningsnr"}, {"external_id", "anställnings-id"},  // sv
    {"external_id", "medarbejdernummer"}, {"external_id", "medarbejdernr"}, {"external_id", "medarbejder-id"}, {"external_id", "lønnummer"},  // da
    {"external_id", "ansattnummer"}, {"external_id", "ansattnr"}, {"external_id", "ansatt-id"},  // nb
    {"external_id", "henkilönumero"}, {"external_id", "työntekijänumero"}, {"external_id", "henkilöstönumero"},  // fi
    {"external_id", "numer pracownika"}, {"external_id", "nr pracownika"}, {"external_id", "identyfikator pracownika"}, {"external_id", "numer ewidencyjny"},  // pl
    {"external_id", "osobní číslo"}, {"external_id", "číslo zaměstnance"},  // cs
    {"external_id", "törzsszám"}, {"external_id", "dolgozói azonosító"}, {"external_id", "munkavállalói azonosító"},  // hu
    {"external_id", "număr marcă"}, {"external_id", "id angajat"},  // ro
    {"external_id", "sicil no"}, {"external_id", "sicil numarası"}, {"external_id", "personel no"}, {"external_id", "personel numarası"},  // tr
    {"external_id", "αριθμός μητρώου"}, {"external_id", "κωδικός υπαλλήλου"},  // el
    {"external_id", "табельный номер"}, {"external_id", "табельный №"}, {"external_id", "таб. номер"},  // ru
    {"external_id", "табельний номер"},  // uk
    {"external_id", "מספר עובד"}, {"external_id", "מס' עובד"},  // he
    {"external_id", "الرقم الوظيفي"}, {"external_id", "رقم الموظف"},  // ar
    {"external_id", "社員番号"}, {"external_id", "従業員番号"}, {"external_id", "社員id"}, {"external_id", "社員コード"},  // ja
    {"external_id", "工号"}, {"external_id", "员工编号"}, {"external_id", "员工号"}, {"external_id", "职工号"},  // zh-Hans
    {"external_id", "員工編號"}, {"external_id", "工號"}, {"external_id", "員工代號"},  // zh-Hant
    {"external_id", "사번"}, {"external_id", "사원번호"}, {"external_id", "직원번호"},  // ko
    {"external_id", "mã nhân viên"}, {"external_id", "mã nv"},  // vi
    {"external_id", "nomor induk karyawan"}, {"external_id", "nomor karyawan"}, {"external_id", "id karyawan"},  // id
    {"external_id", "รหัสพนักงาน"},  // th
    // send_email
    {"send_email", "send email"}, {"send_email", "send e-mail"}, {"send_email", "send invite"},
    {"send_email", "send invitation"}, {"send_email", "email invite"}, {"send_email", "notify"},
    {"send_email", "e-mail senden"}, {"send_email", "einladung senden"}, {"send_email", "envoyer e-mail"},
    {"send_email", "envoyer un e-mail"}, {"send_email", "enviar correo"}, {"send_email", "invia email"},
    {"send_email", "e-mail versturen"}, {"send_email", "enviar email"},
  };
  // clang-format on
  return aliases;
}

const std::vector<SecretWord>& secret_words() {
  // Whole words are the short ones that also occur inside harmless words (pass: Compass, Bypass,
  // Passport; senha: resenha). A header holding one of these is masked wherever cells are shown and
  // left out of the exports, so a word here errs on the side of hiding.
  // clang-format off
  static const std::vector<SecretWord> words = {
    {"password", true}, {"passwd", true}, {"passcode", true}, {"passphrase", true},                 // en
    {"pass", false}, {"pw", false}, {"pwd", false}, {"pword", false},
    {"passwort", true}, {"kennwort", true}, {"zugangscode", true},                                  // de
    {"mot de passe", false}, {"mdp", false},                                                       // fr
    {"contraseña", true}, {"clave", false},                                                        // es
    {"parola d'ordine", false},                                                                    // it
    {"wachtwoord", true},                                                                          // nl
    {"senha", false}, {"palavra-passe", false},                                                    // pt
    {"lösenord", true}, {"adgangskode", true}, {"kodeord", true}, {"passord", true},               // sv, da, no
    {"salasana", true}, {"hasło", true}, {"heslo", false}, {"jelszó", true},                       // fi, pl, cs, hu
    {"parolă", false}, {"şifre", false},                                                           // ro, tr (parola)
    {"κωδικός πρόσβασης", false}, {"συνθηματικό", true},                                           // el
    {"пароль", true},                                                                              // ru, uk
    {"סיסמה", true}, {"סיסמא", true}, {"كلمة المرور", false}, {"كلمة السر", false},                // he, ar
    {"パスワード", true}, {"暗証番号", true},                                                         // ja
    {"密码", true}, {"密碼", true}, {"口令", true},                                                  // zh
    {"비밀번호", true}, {"암호", true},                                                               // ko
    {"mật khẩu", false}, {"kata sandi", false},                                                    // vi, id
    {"รหัสผ่าน", true},                                                                               // th
  };
  // clang-format on
  return words;
}

const std::vector<HeaderWord>& header_words_table() {
  // Only words that say the same in every field's header. A word here is never an alias's word: the
  // whole header is looked up first ("Work Email", "Primary Email" are aliases and stay so).
  using K = HeaderWordKind;
  // clang-format off
  static const std::vector<HeaderWord> words = {
    {"required", K::annotation}, {"optional", K::annotation}, {"mandatory", K::annotation},
    {"upload only", K::annotation}, {"yes no", K::annotation}, {"true false", K::annotation},
    {"value", K::annotation}, {"1", K::annotation},
    {"work", K::keeps}, {"primary", K::keeps}, {"business", K::keeps}, {"login", K::keeps}, {"legal", K::keeps},
    {"personal", K::changes}, {"home", K::changes}, {"private", K::changes}, {"secondary", K::changes},
    {"other", K::changes}, {"alternate", K::changes}, {"alternative", K::changes}, {"recovery", K::changes},
    {"backup", K::changes}, {"manager", K::changes}, {"managers", K::changes}, {"supervisor", K::changes},
    {"emergency", K::changes}, {"new", K::changes}, {"old", K::changes}, {"previous", K::changes},
    {"former", K::changes}, {"consent", K::changes}, {"opt in", K::changes}, {"opt out", K::changes},
    {"2", K::changes}, {"3", K::changes},
    {"legal name", K::group}, {"name", K::group},
    {"type", K::filler}, {"eq", K::filler}, {"true", K::filler},
  };
  // clang-format on
  return words;
}

const std::vector<PropertyName>& property_names() {
  // Microsoft Entra ID's bulk-create template and SCIM core user attributes (RFC 7643).
  // clang-format off
  static const std::vector<PropertyName> names = {
    {"givenName", "first_name"}, {"name.givenName", "first_name"},
    {"surname", "last_name"}, {"familyName", "last_name"}, {"name.familyName", "last_name"},
    {"mail", "email"}, {"userPrincipalName", "email"}, {"emails", "email"}, {"emails.value", "email"},
    {"passwordProfile", "password"}, {"externalId", "external_id"}, {"employeeId", "external_id"},
    {"displayName", ""}, {"name.formatted", ""}, {"formatted", ""},
  };
  // clang-format on
  return names;
}

const std::vector<std::string_view>& full_name_headers() {
  // A whole name in one cell, in every supported language: never first or last name (the split is an
  // explicit action). Korean 이름 and Thai ชื่อ are first names (next to 성 / นามสกุล), so not here.
  // clang-format off
  static const std::vector<std::string_view> names = {
      "name", "full name", "display name", "formatted name", "legal name", "preferred name", "name formatted",
      "vollständiger name", "nom complet", "nom et prénom", "nombre completo", "nombre y apellidos",  // de fr es
      "nome completo", "nome e cognome", "naam", "volledige naam", "voor- en achternaam",            // it pt nl
      "namn", "fullständigt namn", "navn", "fulde navn", "fullt navn", "nimi", "koko nimi",           // sv da nb fi
      "imię i nazwisko", "celé jméno", "jméno a příjmení", "név", "teljes név",                      // pl cs hu
      "nume complet", "nume și prenume", "ad soyad", "adı soyadı", "ad soyadı",                      // ro tr
      "ονοματεπώνυμο", "фио", "полное имя", "піб", "повне ім'я",                                       // el ru uk
      "שם מלא", "الاسم الكامل", "الاسم",                                                                // he ar
      "氏名", "名前", "フルネーム", "姓名", "성명",                                                       // ja zh ko
      "họ và tên", "họ tên", "nama lengkap", "nama", "ชื่อ-นามสกุล", "ชื่อเต็ม",                         // vi id th
  };
  // clang-format on
  return names;
}

const std::vector<std::string_view>& login_name_headers() {
  static const std::vector<std::string_view> names = {"userName", "user name", "login name", "login", "sign-in name"};
  return names;
}

const ModeSpec* find_mode(std::string_view id) {
  for (const auto& m : all_modes()) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

std::optional<bool> boolean_word(std::string_view text) {
  static constexpr std::string_view kTrue[] = {"true", "yes", "y", "1", "on"};
  static constexpr std::string_view kFalse[] = {"false", "no", "n", "0", "off"};
  const auto is = [text](std::string_view w) {
    if (text.size() != w.size()) return false;
    for (size_t i = 0; i < w.size(); ++i) {
      char c = text[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != w[i]) return false;
    }
    return true;
  };
  for (std::string_view w : kTrue) {
    if (is(w)) return true;
  }
  for (std::string_view w : kFalse) {
    if (is(w)) return false;
  }
  return std::nullopt;
}

std::string_view example_value(const std::vector<ExampleValue>& row, std::string_view field) {
  for (const ExampleValue& v : row) {
    if (v.field == field) return v.value;
  }
  return {};
}

std::string mode_ids() {
  std::string ids;
  for (const auto& m : all_modes()) ids += (ids.empty() ? "" : ", ") + std::string(m.id);
  return ids;
}

std::string schema_label(char kind, std::string_view name) {
  if (kind == 'o') {
    const ModeSpec* m = find_mode(name);
    return std::string(m ? m->title : name);
  }
  const FieldSpec* f = find_field(name);
  std::string s(f ? f->label : name);
  // Lower-case the first letter unless the second is a capital too (an acronym: "OAuth").
  if (kind == 'l' && s.size() >= 2 && s[0] >= 'A' && s[0] <= 'Z' && !(s[1] >= 'A' && s[1] <= 'Z')) {
    s[0] = static_cast<char>(s[0] - 'A' + 'a');
  }
  return s;
}

const FieldSpec* find_field(std::string_view name) {
  for (const auto& f : all_fields()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::vector<const FieldSpec*> mode_fields(const ModeSpec& mode) {
  std::vector<const FieldSpec*> out;
  for (auto n : mode.required) out.push_back(find_field(n));
  for (auto n : mode.optional) out.push_back(find_field(n));
  return out;
}

bool mode_has_field(const ModeSpec& mode, std::string_view field) {
  for (auto n : mode.required)
    if (n == field) return true;
  for (auto n : mode.optional)
    if (n == field) return true;
  return false;
}

bool mode_requires(const ModeSpec& mode, std::string_view field) {
  for (auto n : mode.required)
    if (n == field) return true;
  return false;
}

}  // namespace canopy
