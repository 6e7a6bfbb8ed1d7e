package dev.liveupdate.testcluster;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.ParameterizedTypeTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * The configuration keys a Quarkus application declares, read from its sources the way SmallRye Config names them:
 * <ul>
 *   <li>every leaf of every {@code @ConfigMapping} interface (prefix, {@code @WithName}, {@code @WithParentName},
 *       the kebab-case default naming, nested groups, {@code Optional}, {@code Map} ({@code *}) and {@code List}
 *       ({@code [*]}) of groups, inherited interfaces);</li>
 *   <li>{@code @ConfigProperty(name = "...")} and programmatic {@code getValue("...")} / {@code getOptionalValue("...")};</li>
 *   <li>the keys of {@code application.properties} (profile prefixes {@code %prod.} removed): this is how a Quarkus key
 *       (quarkus.http.port, a log category) is "declared" by the application;</li>
 *   <li>names referenced by expressions ({@code ${NODE_NAME:}}) in defaults and properties: looked up as given.</li>
 * </ul>
 * The sources are parsed with the JDK's own compiler tree API (parse only, no class path): no build of the
 * application is needed, and node-agent depends on this module, so a dependency the other way would be a cycle.
 *
 * <p>Environment variables map to keys as SmallRye Config's {@code EnvConfigSource} matches them: alphanumerics
 * compared case-insensitively, every other character of the key an underscore ({@code liveupdate.agent.device-path}
 * = {@code LIVEUPDATE_AGENT_DEVICE_PATH}; {@code quarkus.log.category."dev.liveupdate".level} =
 * {@code QUARKUS_LOG_CATEGORY__DEV_LIVEUPDATE__LEVEL}).
 */
final class AppConfigKeys {
    private static final Pattern CONFIG_PROPERTY = Pattern.compile("@ConfigProperty\\s*\\(\\s*name\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern PROGRAMMATIC = Pattern.compile("\\bget(?:Optional)?Value\\s*\\(\\s*\"([^\"]+)\"");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^:}$]+)");
    private static final Set<String> OPTIONALS = Set.of("Optional", "OptionalInt", "OptionalLong", "OptionalDouble");
    private static final Set<String> COLLECTIONS = Set.of("List", "Set", "Collection");

    private final Set<String> mappingKeys;
    private final Set<String> otherKeys;

    private AppConfigKeys(Set<String> mappingKeys, Set<String> otherKeys) {
        this.mappingKeys = mappingKeys;
        this.otherKeys = otherKeys;
    }

    /** The keys of a module: {@code src/main/java/**}{@code .java} and {@code src/main/resources/application.properties}. */
    static AppConfigKeys ofModule(Path module) {
        Map<String, String> sources = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(module.resolve("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                sources.put(module.relativize(f).toString(), Files.readString(f));
            }
            Path props = module.resolve("src/main/resources/application.properties");
            return parse(sources, Files.isRegularFile(props) ? Files.readString(props) : "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sources of " + module, e);
        }
    }

    /** The keys of these sources (file name -> Java text) and application.properties text. */
    static AppConfigKeys parse(Map<String, String> javaSources, String applicationProperties) {
        Set<String> mapping = new TreeSet<>();
        Set<String> other = new TreeSet<>();
        List<String> defaults = new ArrayList<>();
        new MappingReader(javaSources, defaults).read(mapping);
        for (String text : javaSources.values()) {
            collect(CONFIG_PROPERTY, text, other);
            collect(PROGRAMMATIC, text, other);
        }
        Properties props = new Properties();
        try {
            props.load(new StringReader(applicationProperties));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : props.stringPropertyNames()) {
            other.add(key.startsWith("%") && key.indexOf('.') > 0 ? key.substring(key.indexOf('.') + 1) : key);
            defaults.add(props.getProperty(key));
        }
        for (String value : defaults) {
            collect(EXPRESSION, value, other);
        }
        return new AppConfigKeys(mapping, other);
    }

    private static void collect(Pattern p, String text, Set<String> into) {
        Matcher m = p.matcher(text);
        while (m.find()) {
            into.add(m.group(1).trim());
        }
    }

    /** Leaves of the {@code @ConfigMapping} interfaces ({@code *} for a map key, {@code [*]} for a list index). */
    Set<String> mappingKeys() {
        return mappingKeys;
    }

    /** Every declared key. */
    Set<String> keys() {
        Set<String> all = new TreeSet<>(mappingKeys);
        all.addAll(otherKeys);
        return all;
    }

    /** The declared key an environment variable sets, if any. */
    Optional<String> keyForEnv(String envName) {
        return keys().stream().filter(k -> envPattern(k).matcher(envName).matches()).findFirst();
    }

    /** Whether a system property ({@code -Dkey=...}) names a declared key. */
    boolean declares(String key) {
        return keys().stream().anyMatch(k -> keyPattern(k).matcher(key).matches());
    }

    /** The environment variable for a key without wildcards. */
    static String envName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static Pattern envPattern(String key) {
        StringBuilder re = new StringBuilder();
        for (String part : key.split("\\*", -1)) {
            if (re.length() > 0) {
                re.append("[A-Za-z0-9_]+");
            }
            re.append(Pattern.quote(envName(part)));
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
    }

    private static Pattern keyPattern(String key) {
        StringBuilder re = new StringBuilder();
        for (String part : key.split("\\*", -1)) {
            if (re.length() > 0) {
                re.append("[^.]+");
            }
            re.append(Pattern.quote(part));
        }
        return Pattern.compile(re.toString());
    }

    /** SmallRye's default naming of a mapping method: camelCase to kebab-case (leaseName -> lease-name). */
    static String kebab(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean afterLower = i > 0 && !Character.isUpperCase(name.charAt(i - 1));
                boolean endsAcronym = i > 0 && Character.isUpperCase(name.charAt(i - 1)) && i + 1 < name.length()
                        && Character.isLowerCase(name.charAt(i + 1));
                if (afterLower || endsAcronym) {
                    out.append('-');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Walks the parsed interfaces from each {@code @ConfigMapping} root. */
    private static final class MappingReader {
        private final Map<String, String> sources;
        private final List<String> defaults;
        /** Interfaces by qualified (Outer.Inner) name, and by simple name (first seen). */
        private final Map<String, ClassTree> interfaces = new HashMap<>();
        private final Map<ClassTree, String> qualified = new HashMap<>();
        private final List<ClassTree> roots = new ArrayList<>();

        MappingReader(Map<String, String> sources, List<String> defaults) {
            this.sources = sources;
            this.defaults = defaults;
        }

        void read(Set<String> into) {
            for (CompilationUnitTree unit : parse()) {
                for (Tree t : unit.getTypeDecls()) {
                    if (t instanceof ClassTree c) {
                        index(c, "");
                    }
                }
            }
            for (ClassTree root : roots) {
                AnnotationTree mapping = annotation(root, "ConfigMapping").orElseThrow();
                String prefix = stringArgument(mapping, "prefix").orElse("");
                boolean verbatim = argument(mapping, "namingStrategy").map(Object::toString).map(s -> s.endsWith("VERBATIM"))
                        .orElse(false);
                boolean snake = argument(mapping, "namingStrategy").map(Object::toString).map(s -> s.endsWith("SNAKE_CASE"))
                        .orElse(false);
                walk(root, prefix, verbatim ? Naming.VERBATIM : snake ? Naming.SNAKE : Naming.KEBAB, into, new ArrayList<>());
            }
        }

        private List<? extends CompilationUnitTree> parse() {
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            if (compiler == null) {
                throw new IllegalStateException("no system Java compiler: run the tests on a JDK, not a JRE");
            }
            List<JavaFileObject> files = new ArrayList<>();
            sources.forEach((name, text) -> files.add(new SimpleJavaFileObject(URI.create("string:///" + name.replace('\\', '/')),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return text;
                }
            }));
            DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            JavacTask task = (JavacTask) compiler.getTask(null, compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                    StandardCharsets.UTF_8), diagnostics, List.of("-proc:none"), null, files);
            try {
                List<CompilationUnitTree> units = new ArrayList<>();
                task.parse().forEach(units::add);
                return units;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void index(ClassTree c, String outer) {
            String simple = c.getSimpleName().toString();
            String name = outer.isEmpty() ? simple : outer + "." + simple;
            qualified.put(c, name);
            if (c.getKind() == Tree.Kind.INTERFACE) {
                interfaces.putIfAbsent(simple, c);
                interfaces.put(name, c);
                if (annotation(c, "ConfigMapping").isPresent()) {
                    roots.add(c);
                }
            }
            for (Tree member : c.getMembers()) {
                if (member instanceof ClassTree inner) {
                    index(inner, name);
                }
            }
        }

        private void walk(ClassTree type, String prefix, Naming naming, Set<String> into, List<ClassTree> path) {
            if (path.contains(type)) {
                throw new IllegalStateException("recursive config group " + type.getSimpleName());
            }
            path.add(type);
            for (Tree ext : type.getImplementsClause()) {
                group(ext, type).ifPresent(parent -> walk(parent, prefix, naming, into, path));
            }
            for (Tree member : type.getMembers()) {
                if (!(member instanceof MethodTree m) || m.getBody() != null || !m.getParameters().isEmpty()
                        || m.getReturnType() == null) {
                    continue;
                }
                annotation(m, "WithDefault").flatMap(a -> stringArgument(a, "value")).ifPresent(defaults::add);
                String segment = annotation(m, "WithParentName").isPresent() ? ""
                        : annotation(m, "WithName").flatMap(a -> stringArgument(a, "value"))
                                .orElseGet(() -> naming.apply(m.getName().toString()));
                leaf(m.getReturnType(), type, join(prefix, segment), naming, into, path);
            }
            path.remove(path.size() - 1);
        }

        private void leaf(Tree returnType, ClassTree context, String key, Naming naming, Set<String> into, List<ClassTree> path) {
            if (returnType instanceof ParameterizedTypeTree p) {
                String base = simpleName(p.getType());
                List<? extends Tree> args = p.getTypeArguments();
                if (OPTIONALS.contains(base) && args.size() == 1) {
                    leaf(args.get(0), context, key, naming, into, path);
                    return;
                }
                if (base.equals("Map") && args.size() == 2) {
                    Optional<ClassTree> value = group(args.get(1), context);
                    if (value.isPresent()) {
                        walk(value.get(), join(key, "*"), naming, into, path);
                    } else {
                        into.add(join(key, "*"));
                    }
                    return;
                }
                if (COLLECTIONS.contains(base) && args.size() == 1) {
                    Optional<ClassTree> element = group(args.get(0), context);
                    if (element.isPresent()) {
                        walk(element.get(), key + "[*]", naming, into, path);
                    } else {
                        into.add(key);
                    }
                    return;
                }
            }
            Optional<ClassTree> group = group(returnType, context);
            if (group.isPresent()) {
                walk(group.get(), key, naming, into, path);
            } else {
                into.add(key);
            }
        }

        /** The interface a type names, looked up as Java would from inside {@code context}: nested first, then outwards. */
        private Optional<ClassTree> group(Tree type, ClassTree context) {
            String name = type instanceof MemberSelectTree s ? s.toString() : simpleName(type);
            for (String scope = qualified.get(context); scope != null;
                    scope = scope.contains(".") ? scope.substring(0, scope.lastIndexOf('.')) : null) {
                ClassTree c = interfaces.get(scope + "." + name);
                if (c != null) {
                    return Optional.of(c);
                }
            }
            ClassTree c = interfaces.get(name);
            if (c == null && name.contains(".")) {
                c = interfaces.get(name.substring(name.lastIndexOf('.') + 1));
            }
            return Optional.ofNullable(c);
        }

        private static String simpleName(Tree type) {
            if (type instanceof IdentifierTree i) {
                return i.getName().toString();
            }
            if (type instanceof MemberSelectTree s) {
                return s.getIdentifier().toString();
            }
            if (type instanceof ParameterizedTypeTree p) {
                return simpleName(p.getType());
            }
            return type.toString();
        }

        private static String join(String prefix, String segment) {
            if (segment.isEmpty()) {
                return prefix;
            }
            return prefix.isEmpty() ? segment : prefix + "." + segment;
        }

        private static Optional<AnnotationTree> annotation(Tree annotated, String simpleName) {
            List<? extends AnnotationTree> annotations = annotated instanceof ClassTree c ? c.getModifiers().getAnnotations()
                    : annotated instanceof MethodTree m ? m.getModifiers().getAnnotations() : List.of();
            return annotations.stream().filter(a -> simpleName(a.getAnnotationType()).equals(simpleName)).findFirst()
                    .map(a -> (AnnotationTree) a);
        }

        private static Optional<ExpressionTree> argument(AnnotationTree a, String name) {
            for (ExpressionTree arg : a.getArguments()) {
                if (arg instanceof AssignmentTree as && as.getVariable().toString().equals(name)) {
                    return Optional.of(as.getExpression());
                }
                if (!(arg instanceof AssignmentTree) && name.equals("value")) {
                    return Optional.of(arg);
                }
            }
            return Optional.empty();
        }

        private static Optional<String> stringArgument(AnnotationTree a, String name) {
            return argument(a, name).map(e -> {
                if (e instanceof LiteralTree l && l.getValue() instanceof String s) {
                    return s;
                }
                throw new IllegalStateException("@" + a.getAnnotationType() + "(" + name + " = " + e
                        + "): only string literals are understood here");
            });
        }
    }

    private enum Naming {
        KEBAB, SNAKE, VERBATIM;

        String apply(String method) {
            return switch (this) {
                case KEBAB -> kebab(method);
                case SNAKE -> kebab(method).replace('-', '_');
                case VERBATIM -> method;
            };
        }
    }
}
