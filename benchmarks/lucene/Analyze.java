// Lucene with searchlib's exported analysis: tokens for parity checks, and BM25 runs for relevance.
//
// Single-file source launch, no build tool (Java 11+, Lucene 8.x jars from Debian's
// liblucene8-java):
//
//   java -cp /usr/share/java/lucene-core-8.7.0.jar:/usr/share/java/lucene-analyzers-common-8.7.0.jar \
//        benchmarks/lucene/Analyze.java tokens EXPORT_DIR < requests.jsonl
//   java -cp ... benchmarks/lucene/Analyze.java search EXPORT_DIR docs.jsonl queries.jsonl ...
//
// EXPORT_DIR holds settings.json (the body of PUT /<index>, or just its analysis section) and
// the rules files at the relative paths the settings name: the folder the node's config
// directory would hold. Each analyzer of settings.index.analysis is built as a Lucene
// CustomAnalyzer from the factories OpenSearch/Elasticsearch map the component types to.
//
// tokens: each stdin line is {"analyzer": NAME, "text": TEXT}; each stdout line is the JSON
//   array [[term, position], ...] of that text (positions as Lucene counts them, from 0).
//   analyzer "lucene_indonesian" is Lucene's stock IndonesianAnalyzer.
// search: indexes docs.jsonl ({"id", "title", "body"} per line) into an in-memory index with
//   title/body (stemmed analyzer) and title.exact/body.exact (written analyzer), BM25, then runs
//   each query of queries.jsonl ({"id", "text"}) as an OR over the fields with their boosts and
//   prints "qid<TAB>docid<TAB>score" lines (the top HITS). See benchmarks/lucene_relevance.py.

import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.custom.CustomAnalyzer;
import org.apache.lucene.analysis.id.IndonesianAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.util.FilesystemResourceLoader;
import org.apache.lucene.analysis.util.ResourceLoader;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;

public class Analyze {

    // ---- A small JSON reader/writer (objects, arrays, strings, numbers, literals) ----

    static final class Json {
        private final String s;
        private int i;

        Json(String s) { this.s = s; }

        static Object parse(String text) {
            Json p = new Json(text);
            p.ws();
            Object v = p.value();
            p.ws();
            if (p.i != p.s.length()) throw new IllegalArgumentException("trailing JSON at " + p.i);
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private Object value() {
            char c = s.charAt(i);
            if (c == '{') return object();
            if (c == '[') return array();
            if (c == '"') return string();
            if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
            if (s.startsWith("null", i)) { i += 4; return null; }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            String num = s.substring(start, i);
            if (num.isEmpty()) throw new IllegalArgumentException("bad JSON at " + start);
            if (num.contains(".") || num.contains("e") || num.contains("E")) return Double.valueOf(num);
            return Long.valueOf(num);
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            ws();
            if (s.charAt(i) == '}') { i++; return m; }
            while (true) {
                ws();
                String key = string();
                ws();
                if (s.charAt(i++) != ':') throw new IllegalArgumentException("expected : at " + i);
                ws();
                m.put(key, value());
                ws();
                char c = s.charAt(i++);
                if (c == '}') return m;
                if (c != ',') throw new IllegalArgumentException("expected , at " + i);
            }
        }

        private List<Object> array() {
            List<Object> a = new ArrayList<>();
            i++;
            ws();
            if (s.charAt(i) == ']') { i++; return a; }
            while (true) {
                ws();
                a.add(value());
                ws();
                char c = s.charAt(i++);
                if (c == ']') return a;
                if (c != ',') throw new IllegalArgumentException("expected , at " + i);
            }
        }

        private String string() {
            if (s.charAt(i) != '"') throw new IllegalArgumentException("expected string at " + i);
            i++;
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c != '\\') { b.append(c); continue; }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n': b.append('\n'); break;
                    case 't': b.append('\t'); break;
                    case 'r': b.append('\r'); break;
                    case 'b': b.append('\b'); break;
                    case 'f': b.append('\f'); break;
                    case 'u': b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; break;
                    default: b.append(e);
                }
            }
        }

        static void quote(StringBuilder b, String text) {
            b.append('"');
            for (int k = 0; k < text.length(); k++) {
                char c = text.charAt(k);
                if (c == '"' || c == '\\') b.append('\\').append(c);
                else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                else b.append(c);
            }
            b.append('"');
        }
    }

    // ---- Settings -> Lucene CustomAnalyzer ----

    /** Files under the export folder, plus the stemmer_override rules converted to Lucene's format. */
    static final class Loader implements ResourceLoader {
        final FilesystemResourceLoader files;
        final Map<String, byte[]> virtual = new HashMap<>();

        Loader(Path dir) { files = new FilesystemResourceLoader(dir, Analyze.class.getClassLoader()); }

        public InputStream openResource(String name) throws IOException {
            byte[] b = virtual.get(name);
            return b != null ? new ByteArrayInputStream(b) : files.openResource(name);
        }

        public <T> Class<? extends T> findClass(String cname, Class<T> expectedType) {
            return files.findClass(cname, expectedType);
        }

        public <T> T newInstance(String cname, Class<T> expectedType) {
            return files.newInstance(cname, expectedType);
        }

        /** OpenSearch's "a => b" mapping rules (escapes kept) as Lucene's quoted "a" => "b" lines. */
        String mappingRules(String path) throws IOException {
            StringBuilder out = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(files.openResource(path), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.isBlank() || line.startsWith("#")) continue;
                    int arrow = line.indexOf("=>");
                    if (arrow < 0) throw new IllegalArgumentException("bad mapping rule: " + line);
                    out.append('"').append(line.substring(0, arrow).trim()).append("\" => \"")
                        .append(line.substring(arrow + 2).trim()).append("\"\n");
                }
            }
            String name = "converted/" + path;
            virtual.put(name, out.toString().getBytes(StandardCharsets.UTF_8));
            return name;
        }

        /** OpenSearch's "a, b => c" stemmer_override rules as Lucene's "a<TAB>c" dictionary. */
        String overrideDictionary(String path) throws IOException {
            StringBuilder out = new StringBuilder();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(files.openResource(path), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.isBlank() || line.startsWith("#")) continue;
                    int arrow = line.indexOf("=>");
                    if (arrow < 0) throw new IllegalArgumentException("bad stemmer_override rule: " + line);
                    String value = line.substring(arrow + 2).trim();
                    for (String key : line.substring(0, arrow).split(",")) {
                        out.append(key.trim()).append('\t').append(value).append('\n');
                    }
                }
            }
            String name = "converted/" + path;
            virtual.put(name, out.toString().getBytes(StandardCharsets.UTF_8));
            return name;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> analysisSection(Map<String, Object> root) {
        Object settings = root.getOrDefault("settings", root);
        Map<String, Object> m = (Map<String, Object>) settings;
        if (m.containsKey("index")) m = (Map<String, Object>) m.get("index");
        if (m.containsKey("analysis")) m = (Map<String, Object>) m.get("analysis");
        return m;
    }

    static String str(Object o) { return o instanceof Double ? String.valueOf(((Double) o).intValue()) : String.valueOf(o); }

    @SuppressWarnings("unchecked")
    static Analyzer build(Map<String, Object> analysis, String name, Loader loader) throws IOException {
        Map<String, Object> analyzers = (Map<String, Object>) analysis.get("analyzer");
        Map<String, Object> spec = (Map<String, Object>) analyzers.get(name);
        if (spec == null) throw new IllegalArgumentException("no analyzer " + name);
        if (!"custom".equals(spec.getOrDefault("type", "custom")))
            throw new IllegalArgumentException("only custom analyzers are supported: " + name);
        CustomAnalyzer.Builder b = CustomAnalyzer.builder(loader);
        Map<String, Object> charFilters = (Map<String, Object>) analysis.getOrDefault("char_filter", Map.of());
        Map<String, Object> tokenizers = (Map<String, Object>) analysis.getOrDefault("tokenizer", Map.of());
        Map<String, Object> filters = (Map<String, Object>) analysis.getOrDefault("filter", Map.of());
        for (Object cf : (List<Object>) spec.getOrDefault("char_filter", List.of())) {
            Map<String, Object> c = (Map<String, Object>) charFilters.get(cf);
            String type = str(c.get("type"));
            if (type.equals("mapping")) {
                b.addCharFilter("mapping", params("mapping", loader.mappingRules(str(c.get("mappings_path")))));
                continue;
            }
            if (!type.equals("pattern_replace")) throw new IllegalArgumentException("char filter type " + type);
            if (c.containsKey("flags")) throw new IllegalArgumentException("flags: write them inline");
            b.addCharFilter("patternReplace", params("pattern", str(c.get("pattern")), "replacement", str(c.getOrDefault("replacement", ""))));
        }
        String tokName = str(spec.get("tokenizer"));
        Map<String, Object> t = (Map<String, Object>) tokenizers.get(tokName);
        if (t == null) {
            b.withTokenizer(tokName.equals("standard") ? "standard" : tokName);
        } else {
            String type = str(t.get("type"));
            if (!type.equals("pattern")) throw new IllegalArgumentException("tokenizer type " + type);
            b.withTokenizer("pattern", params("pattern", str(t.get("pattern")), "group", str(t.getOrDefault("group", -1L))));
        }
        for (Object fn : (List<Object>) spec.getOrDefault("filter", List.of())) {
            Map<String, Object> f = (Map<String, Object>) filters.get(fn);
            String type = f == null ? str(fn) : str(f.get("type"));
            if (f == null) f = Map.of();
            switch (type) {
                case "lowercase": b.addTokenFilter("lowercase"); break;
                case "asciifolding":
                    b.addTokenFilter("asciiFolding", params("preserveOriginal", str(f.getOrDefault("preserve_original", false))));
                    break;
                case "length":
                    b.addTokenFilter("length", params("min", str(f.getOrDefault("min", 0L)), "max", str(f.getOrDefault("max", (long) Integer.MAX_VALUE))));
                    break;
                case "pattern_replace":
                    b.addTokenFilter("patternReplace", params("pattern", str(f.get("pattern")), "replacement", str(f.getOrDefault("replacement", "")),
                        "replace", Boolean.FALSE.equals(f.get("all")) ? "first" : "all"));
                    break;
                case "synonym_graph":
                case "synonym":
                    b.addTokenFilter(type.equals("synonym") ? "synonym" : "synonymGraph", params("synonyms", str(f.get("synonyms_path")),
                        "expand", str(f.getOrDefault("expand", true)), "ignoreCase", str(f.getOrDefault("ignore_case", false))));
                    break;
                case "flatten_graph": b.addTokenFilter("flattenGraph"); break;
                case "stop":
                    b.addTokenFilter("stop", params("words", str(f.get("stopwords_path")), "ignoreCase", str(f.getOrDefault("ignore_case", false))));
                    break;
                case "keyword_marker":
                    b.addTokenFilter("keywordMarker", params("pattern", str(f.get("keywords_pattern"))));
                    break;
                case "stemmer_override":
                    b.addTokenFilter("stemmerOverride", params("dictionary", loader.overrideDictionary(str(f.get("rules_path")))));
                    break;
                case "stemmer":
                    if (!"indonesian".equals(f.get("language"))) throw new IllegalArgumentException("stemmer language " + f.get("language"));
                    b.addTokenFilter("indonesianStem");
                    break;
                default: throw new IllegalArgumentException("token filter type " + type + " (" + fn + ")");
            }
        }
        return b.build();
    }

    static Map<String, String> params(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int k = 0; k < kv.length; k += 2) m.put(kv[k], kv[k + 1]);
        return m;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Analyzer> analyzers(Path dir) throws IOException {
        Path settings = dir.resolve("settings.json");
        Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readString(settings, StandardCharsets.UTF_8));
        Map<String, Object> analysis = analysisSection(root);
        Loader loader = new Loader(dir);
        Map<String, Analyzer> out = new LinkedHashMap<>();
        for (String name : ((Map<String, Object>) analysis.get("analyzer")).keySet()) out.put(name, build(analysis, name, loader));
        out.put("lucene_indonesian", new IndonesianAnalyzer());
        return out;
    }

    // ---- tokens ----

    static void tokens(Map<String, Analyzer> analyzers) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false, "UTF-8");
        for (String line; (line = in.readLine()) != null; ) {
            if (line.isBlank()) continue;
            @SuppressWarnings("unchecked")
            Map<String, Object> req = (Map<String, Object>) Json.parse(line);
            Analyzer a = analyzers.get(str(req.get("analyzer")));
            if (a == null) throw new IllegalArgumentException("no analyzer " + req.get("analyzer"));
            StringBuilder b = new StringBuilder("[");
            try (TokenStream ts = a.tokenStream("f", str(req.get("text")))) {
                CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
                PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
                ts.reset();
                int pos = -1;
                boolean first = true;
                while (ts.incrementToken()) {
                    pos += inc.getPositionIncrement();
                    if (!first) b.append(',');
                    first = false;
                    b.append('[');
                    Json.quote(b, term.toString());
                    b.append(',').append(pos).append(']');
                }
                ts.end();
            }
            out.println(b.append(']'));
            out.flush();
        }
    }

    // ---- search ----

    @SuppressWarnings("unchecked")
    static void search(Map<String, Analyzer> analyzers, Path docs, Path queries, String[] opts) throws IOException {
        // opts: stemmed=NAME written=NAME title=2 body=1 exact=0.5 k1=1.2 b=0.75 hits=100
        Map<String, String> o = new HashMap<>(params("stemmed", "searchlib_indonesian", "written", "searchlib_written",
            "title", "2", "body", "1", "exact", "0.5", "k1", "1.2", "b", "0.75", "hits", "100"));
        for (String opt : opts) { String[] kv = opt.split("=", 2); o.put(kv[0], kv[1]); }
        Analyzer stemmed = analyzers.get(o.get("stemmed"));
        Analyzer written = o.get("written").isEmpty() ? null : analyzers.get(o.get("written"));
        float exact = written == null ? 0f : Float.parseFloat(o.get("exact"));
        Map<String, Analyzer> perField = new HashMap<>();
        perField.put("title", stemmed);
        perField.put("body", stemmed);
        if (written != null) { perField.put("title.exact", written); perField.put("body.exact", written); }
        Analyzer wrapper = new PerFieldAnalyzerWrapper(stemmed, perField);
        BM25Similarity sim = new BM25Similarity(Float.parseFloat(o.get("k1")), Float.parseFloat(o.get("b")));
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        IndexWriterConfig cfg = new IndexWriterConfig(wrapper).setSimilarity(sim).setRAMBufferSizeMB(256);
        try (IndexWriter w = new IndexWriter(dir, cfg); BufferedReader r = Files.newBufferedReader(docs, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) continue;
                Map<String, Object> d = (Map<String, Object>) Json.parse(line);
                Document doc = new Document();
                doc.add(new StringField("id", str(d.get("id")), Field.Store.YES));
                String title = d.get("title") == null ? "" : str(d.get("title"));
                String body = d.get("body") == null ? "" : str(d.get("body"));
                doc.add(new TextField("title", title, Field.Store.NO));
                doc.add(new TextField("body", body, Field.Store.NO));
                if (written != null) {
                    doc.add(new TextField("title.exact", title, Field.Store.NO));
                    doc.add(new TextField("body.exact", body, Field.Store.NO));
                }
                w.addDocument(doc);
            }
        }
        Map<String, Float> boosts = new LinkedHashMap<>();
        boosts.put("title", Float.parseFloat(o.get("title")));
        boosts.put("body", Float.parseFloat(o.get("body")));
        if (written != null && exact > 0) {
            boosts.put("title.exact", boosts.get("title") * exact);
            boosts.put("body.exact", boosts.get("body") * exact);
        }
        int hits = Integer.parseInt(o.get("hits"));
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16), false, "UTF-8");
        try (DirectoryReader reader = DirectoryReader.open(dir); BufferedReader r = Files.newBufferedReader(queries, StandardCharsets.UTF_8)) {
            IndexSearcher searcher = new IndexSearcher(reader);
            searcher.setSimilarity(sim);
            QueryBuilder qb = new QueryBuilder(wrapper);
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) continue;
                Map<String, Object> q = (Map<String, Object>) Json.parse(line);
                String text = str(q.get("text"));
                // A multi_match of type most_fields, operator OR: each field's match query, boosted.
                BooleanQuery.Builder all = new BooleanQuery.Builder();
                for (Map.Entry<String, Float> e : boosts.entrySet()) {
                    Query fq = qb.createBooleanQuery(e.getKey(), text, BooleanClause.Occur.SHOULD);
                    if (fq != null) all.add(new BoostQuery(fq, e.getValue()), BooleanClause.Occur.SHOULD);
                }
                for (ScoreDoc sd : searcher.search(all.build(), hits).scoreDocs) {
                    out.println(str(q.get("id")) + "\t" + reader.document(sd.doc).get("id") + "\t" + sd.score);
                }
            }
        }
        out.flush();
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Analyze tokens EXPORT_DIR | Analyze search EXPORT_DIR DOCS QUERIES [opt=value...]");
            System.exit(2);
        }
        Map<String, Analyzer> analyzers = analyzers(Paths.get(args[1]));
        if (args[0].equals("tokens")) tokens(analyzers);
        else if (args[0].equals("search")) search(analyzers, Paths.get(args[2]), Paths.get(args[3]), Arrays.copyOfRange(args, 4, args.length));
        else throw new IllegalArgumentException("unknown command " + args[0]);
    }
}
