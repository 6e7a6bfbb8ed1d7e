package dev.liveupdate.luo.abi;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Structure;
import dev.liveupdate.luo.LuoEvent;
import dev.liveupdate.luo.LuoState;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Proves the JNA structures and Java constants match a C header written from the ABI facts
 * (src/test/c/luo_abi.h), compiled by gcc: every struct size, field offset, array length, request
 * number and enum value. Also pins the sizes stated in docs/luo-kernel-abi.md as literals.
 */
class AbiLayoutTest {
    private static final Map<String, Class<? extends Structure>> STRUCTS = new LinkedHashMap<>();

    static {
        STRUCTS.put("luo_a_get_state", AGetState.class);
        STRUCTS.put("luo_a_set_event", ASetEvent.class);
        STRUCTS.put("luo_a_create_session", ACreateSession.class);
        STRUCTS.put("luo_a_retrieve_session", ARetrieveSession.class);
        STRUCTS.put("luo_a_preserve_fd", APreserveFd.class);
        STRUCTS.put("luo_a_unpreserve_fd", AUnpreserveFd.class);
        STRUCTS.put("luo_a_restore_fd", ARestoreFd.class);
        STRUCTS.put("luo_a_session_get_state", ASessionGetState.class);
        STRUCTS.put("luo_a_session_set_event", ASessionSetEvent.class);
        STRUCTS.put("luo_b_create_session", BCreateSession.class);
        STRUCTS.put("luo_b_retrieve_session", BRetrieveSession.class);
        STRUCTS.put("luo_b_preserve_fd", BPreserveFd.class);
        STRUCTS.put("luo_b_retrieve_fd", BRetrieveFd.class);
        STRUCTS.put("luo_b_finish", BFinish.class);
        STRUCTS.put("luo_b_get_name", BGetName.class);
    }

    private static List<String[]> layout;

    @BeforeAll
    static void compileAndRun() throws IOException, InterruptedException {
        Path src = Path.of("src/test/c");
        Path out = Files.createDirectories(Path.of("target/luo-abi"));
        Path exe = out.resolve("luo_layout");
        run(List.of("gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-I", src.toString(), "-o", exe.toString(),
                src.resolve("luo_layout.c").toString()));
        layout = run(List.of(exe.toAbsolutePath().toString())).lines().map(l -> l.split(" ")).toList();
        assertThat(layout).isNotEmpty();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(p.exitValue()).as("%s exit status; output:%n%s", command, output).isZero();
        return output;
    }

    private static Map<String, Long> lines(String kind) {
        Map<String, Long> values = new HashMap<>();
        layout.stream().filter(l -> l[0].equals(kind)).forEach(l -> values.put(l[1], Long.parseLong(l[2])));
        return values;
    }

    private static Structure instance(Class<? extends Structure> type) throws ReflectiveOperationException {
        return type.getDeclaredConstructor().newInstance();
    }

    private static int offset(Structure s, String field) throws ReflectiveOperationException {
        Method m = Structure.class.getDeclaredMethod("fieldOffset", String.class);
        m.setAccessible(true);
        return (Integer) m.invoke(s, field);
    }

    @Test
    void everyStructSizeMatchesC() throws ReflectiveOperationException {
        Map<String, Long> sizes = lines("size");
        assertThat(sizes.keySet()).containsExactlyInAnyOrderElementsOf(STRUCTS.keySet());
        for (Map.Entry<String, Class<? extends Structure>> e : STRUCTS.entrySet()) {
            Structure s = instance(e.getValue());
            assertThat((long) s.size()).as("sizeof(struct %s) vs %s.size()", e.getKey(), e.getValue().getSimpleName())
                    .isEqualTo(sizes.get(e.getKey()));
            assertThat((long) e.getValue().getField("size").getInt(s)).as("%s initializes its size field", e.getValue().getSimpleName())
                    .isEqualTo(sizes.get(e.getKey()));
        }
    }

    @Test
    void everyFieldOffsetMatchesC() throws ReflectiveOperationException {
        Map<String, Long> offsets = lines("offset");
        Set<String> javaFields = new HashSet<>();
        for (Map.Entry<String, Class<? extends Structure>> e : STRUCTS.entrySet()) {
            Structure s = instance(e.getValue());
            for (String field : e.getValue().getAnnotation(Structure.FieldOrder.class).value()) {
                String key = e.getKey() + "." + field;
                javaFields.add(key);
                assertThat(offsets).as("C has field %s", key).containsKey(key);
                assertThat((long) offset(s, field)).as("offsetof(%s)", key).isEqualTo(offsets.get(key));
            }
        }
        assertThat(javaFields).as("every C field exists in Java").containsExactlyInAnyOrderElementsOf(offsets.keySet());
    }

    @Test
    void everyArrayLengthMatchesC() throws ReflectiveOperationException {
        for (Map.Entry<String, Long> e : lines("fieldsize").entrySet()) {
            String[] parts = e.getKey().split("\\.");
            Structure s = instance(STRUCTS.get(parts[0]));
            byte[] array = (byte[]) s.getClass().getField(parts[1]).get(s);
            assertThat((long) array.length).as("sizeof(%s)", e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void everyRequestNumberMatchesC() throws ReflectiveOperationException {
        Map<String, Long> requests = lines("request");
        assertThat(requests).hasSize(15);
        for (Map.Entry<String, Long> e : requests.entrySet()) {
            Class<?> holder = e.getKey().startsWith("LUO_A_") ? LuoAbi.A.class : LuoAbi.B.class;
            long java = holder.getField(e.getKey().substring(6)).getLong(null);
            assertThat(java).as("%s", e.getKey()).isEqualTo(e.getValue());
            assertThat(LuoAbi.io((int) (java & 0xFF))).isEqualTo(java);
        }
    }

    @Test
    void enumsAndLengthsMatchC() {
        Map<String, Long> consts = lines("const");
        for (LuoState state : LuoState.values()) {
            assertThat((long) state.value()).as("%s", state).isEqualTo(consts.get("LUO_A_STATE_" + state.name()));
        }
        for (LuoEvent event : LuoEvent.values()) {
            assertThat((long) event.value()).as("%s", event).isEqualTo(consts.get("LUO_A_" + event.name()));
        }
        assertThat((long) LuoAbi.A.SESSION_NAME_LENGTH).isEqualTo(consts.get("LUO_A_SESSION_NAME_LENGTH"));
        assertThat((long) LuoAbi.B.SESSION_NAME_LENGTH).isEqualTo(consts.get("LUO_B_SESSION_NAME_LENGTH"));
        assertThat((long) LuoAbi.B.MAX_FILES_PER_SESSION).isEqualTo(consts.get("LUO_B_MAX_FILES_PER_SESSION"));
    }

    /** The doc's numbers as literals, so header and Java cannot drift together. */
    @Test
    void sizesStatedInTheAbiDocument() {
        assertThat(new AGetState().size()).isEqualTo(8);
        assertThat(new ASetEvent().size()).isEqualTo(8);
        assertThat(new ACreateSession().size()).isEqualTo(64);
        assertThat(new ARetrieveSession().size()).isEqualTo(72);
        assertThat(new APreserveFd().size()).isEqualTo(16);
        assertThat(new AUnpreserveFd().size()).isEqualTo(16);
        assertThat(new ARestoreFd().size()).isEqualTo(16);
        assertThat(new ASessionGetState().size()).isEqualTo(12);
        assertThat(new ASessionSetEvent().size()).isEqualTo(8);
        assertThat(new BCreateSession().size()).isEqualTo(72);
        assertThat(new BRetrieveSession().size()).isEqualTo(72);
        assertThat(new BPreserveFd().size()).isEqualTo(16);
        assertThat(new BRetrieveFd().size()).isEqualTo(16);
        assertThat(new BFinish().size()).isEqualTo(8);
        assertThat(new BGetName().size()).isEqualTo(72);
        assertThat(LuoAbi.A.GET_STATE).isEqualTo(0xBA00);
        assertThat(LuoAbi.A.SESSION_SET_EVENT).isEqualTo(0xBA44);
        assertThat(LuoAbi.B.GET_NAME).isEqualTo(0xBA43);
    }
}
