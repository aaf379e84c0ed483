// HTML and URL filters against python3 (expected values written by expect.py): escape, forceescape
// and safe return Markup, the others plain str, as jinja2 with autoescape off.
import { describe } from "vitest";
import { caseTable } from "./harness.ts";

describe("escape, forceescape, safe", () => {
  caseTable("filter", [
    ["e", "'<a href=\"x\">&\\'</a>'", "Markup('&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt;')"],
    ["escape", "None", "Markup('None')"],
    ["escape", "5", "Markup('5')"],
    ["escape", "U('x')", "Markup('')"],
    ["escape", "['<']", "Markup('[&#39;&lt;&#39;]')"],
    ["escape", "'a', 2", "!TypeError: escape() takes 1 positional argument but 2 were given"],
    ["escape", "'a', x=2", "!TypeError: escape() got an unexpected keyword argument 'x'"],
    ["forceescape", "'<b>'", "Markup('&lt;b&gt;')"],
    ["safe", "'<b>'", "Markup('<b>')"],
    ["safe", "None", "Markup('None')"],
    ["safe", "U('x')", "Markup('')"],
    ["safe", "'a', 2", "!TypeError: do_mark_safe() takes 1 positional argument but 2 were given"],
  ]);
});

describe("striptags", () => {
  caseTable("filter", [
    ["striptags", "'Main &raquo;\\t<em>About</em>'", "'Main » About'"],
    ["striptags", "'<!-- <b>c</b> -->a  <p>b\\n\\n</p> c'", "'a b c'"],
    ["striptags", "'a < b and c > d'", "'a d'"],
    ["striptags", "'unclosed <b'", "'unclosed <b'"],
    ["striptags", "'&amp;&lt;&gt;&quot;&#39;&#x41;&#66;&ampx &copy &notit; &nosuch; &#0; &#128; &#x110000;&#1;'", "'&<>\"\\'AB&x © ¬it; &nosuch; � € �'"],
    ["striptags", "'&Alpha;&hellip;&AMP;&apos;'", "\"Α…&'\""],
    ["striptags", "None", "'None'"],
  ]);
});

describe("urlencode", () => {
  caseTable("filter", [
    ["urlencode", "'a b/c?d=é&'", "'a%20b/c%3Fd%3D%C3%A9%26'"],
    ["urlencode", "{'a': 'b c', 'd/e': 1}", "'a=b+c&d%2Fe=1'"],
    ["urlencode", "[('a', 1), ('b', None)]", "'a=1&b=None'"],
    ["urlencode", "[('a', 1, 2)]", "!ValueError: too many values to unpack (expected 2)"],
    ["urlencode", "[5]", "!TypeError: cannot unpack non-iterable int object"],
    ["urlencode", "['ab']", "'a=b'"],
    ["urlencode", "5", "'5'"],
    ["urlencode", "None", "'None'"],
    ["urlencode", "U('x')", "''"],
    ["urlencode", "'~_.-!*'", "'~_.-%21%2A'"],
  ]);
});

describe("urlize", () => {
  caseTable("filter", [
    ["urlize", "'see http://example.com/x?y=1, or www.example.org.'", "'see <a href=\"http://example.com/x?y=1\" rel=\"noopener\">http://example.com/x?y=1</a>, or <a href=\"https://www.example.org\" rel=\"noopener\">www.example.org</a>.'"],
    ["urlize", "'mail me@example.com or mailto:you@example.com'", "'mail <a href=\"mailto:me@example.com\">me@example.com</a> or <a href=\"mailto:you@example.com\">you@example.com</a>'"],
    ["urlize", "'(https://example.com/a_(b))'", "'(<a href=\"https://example.com/a_(b)\" rel=\"noopener\">https://example.com/a_(b)</a>)'"],
    ["urlize", "'<https://example.com>'", "'&lt;<a href=\"https://example.com\" rel=\"noopener\">https://example.com</a>&gt;'"],
    ["urlize", "'example.com and example.xyz'", "'<a href=\"https://example.com\" rel=\"noopener\">example.com</a> and example.xyz'"],
    ["urlize", "'http://192.168.0.1:8080/x http://[::1]/'", "'<a href=\"http://192.168.0.1:8080/x\" rel=\"noopener\">http://192.168.0.1:8080/x</a> <a href=\"http://[::1]/\" rel=\"noopener\">http://[::1]/</a>'"],
    ["urlize", "'https://example.com/very/long/path', 15", "'<a href=\"https://example.com/very/long/path\" rel=\"noopener\">https://example...</a>'"],
    ["urlize", "'https://example.com', nofollow=True, target='_blank', rel='me'", "'<a href=\"https://example.com\" rel=\"me nofollow noopener\" target=\"_blank\">https://example.com</a>'"],
    ["urlize", "'ftp://x.org/f tel:123', extra_schemes=['ftp://', 'tel:']", "'<a href=\"ftp://x.org/f\" rel=\"noopener\">ftp://x.org/f</a> <a href=\"tel:123\" rel=\"noopener\">tel:123</a>'"],
    ["urlize", "'x', extra_schemes=['bad scheme']", "!FilterArgumentError: 'bad scheme' is not a valid URI scheme prefix."],
    ["urlize", "'@a@b a@b.c www.a@b.c'", "'@a@b <a href=\"mailto:a@b.c\">a@b.c</a> www.a@b.c'"],
    ["urlize", "'a & <b>'", "'a &amp; &lt;b&gt;'"],
    ["urlize", "U('x')", "''"],
  ]);
});

describe("xmlattr", () => {
  caseTable("filter", [
    ["xmlattr", "{'class': 'my_list', 'missing': None, 'id': 'list-42', 'u': U('x')}", "' class=\"my_list\" id=\"list-42\"'"],
    ["xmlattr", "{'a': '<\"&\\'>'}", "' a=\"&lt;&#34;&amp;&#39;&gt;\"'"],
    ["xmlattr", "{'a': 1}, False", "'a=\"1\"'"],
    ["xmlattr", "{}", "''"],
    ["xmlattr", "{'a b': 1}", "!ValueError: Invalid character in attribute name: 'a b'"],
    ["xmlattr", "{'a/': 1}", "!ValueError: Invalid character in attribute name: 'a/'"],
    ["xmlattr", "{1: 2}", "!TypeError: expected string or bytes-like object, got 'int'"],
    ["xmlattr", "[1]", "!AttributeError: 'list' object has no attribute 'items'"],
    ["xmlattr", "U('x')", "!UndefinedError: 'x' is undefined"],
    ["xmlattr", "{}, True, 3", "!TypeError: do_xmlattr() takes from 2 to 3 positional arguments but 4 were given"],
  ]);
});
