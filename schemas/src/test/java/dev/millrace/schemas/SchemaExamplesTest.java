package dev.millrace.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Contract tests: the schemas accept every example under {@code examples/<name>/valid} and their
 * own {@code examples}, and reject every example under {@code examples/<name>/invalid}, whose file
 * name says the one rule it breaks.
 */
class SchemaExamplesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

    @ParameterizedTest(name = "{0} accepts {1}")
    @MethodSource("validExamples")
    void schemaAcceptsValidExample(String schema, String example, Path file) {
        assertThat(Schemas.get(schema).validate(read(file))).isEmpty();
        assertThat(Schemas.get(schema).isValid(read(file))).isTrue();
    }

    @ParameterizedTest(name = "{0} rejects {1}")
    @MethodSource("invalidExamples")
    void schemaRejectsInvalidExampleNamingThePath(String schema, String example, Path file) {
        List<String> violations = Schemas.get(schema).validate(read(file));

        assertThat(violations).isNotEmpty().allSatisfy(v -> assertThat(v).startsWith("$"));
        assertThat(Schemas.get(schema).isValid(read(file))).isFalse();
    }

    @ParameterizedTest(name = "{0} accepts its own examples")
    @MethodSource("schemaNames")
    void schemaAcceptsItsOwnExamples(String schema) {
        JsonNode examples = schemaDocument(schema).path("examples");

        assertThat(examples.isArray() && !examples.isEmpty())
                .as("%s has an examples array", schema)
                .isTrue();
        for (JsonNode example : examples) {
            assertThat(Schemas.get(schema).validate(example)).as(example.toString()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} has valid and invalid example files")
    @MethodSource("schemaNames")
    void schemaHasValidAndInvalidExampleFiles(String schema) {
        assertThat(jsonFiles(examplesRoot().resolve(schema).resolve("valid"))).isNotEmpty();
        assertThat(jsonFiles(examplesRoot().resolve(schema).resolve("invalid"))).isNotEmpty();
    }

    @ParameterizedTest(name = "{0} declares draft 2020-12, its $id, title and description")
    @MethodSource("schemaNames")
    void schemaDeclaresDraft202012AndItsId(String schema) {
        JsonNode doc = schemaDocument(schema);

        assertThat(doc.path("$schema").asText()).isEqualTo(DRAFT_2020_12);
        assertThat(doc.path("$id").asText()).isEqualTo(Schemas.id(schema));
        assertThat(doc.path("title").asText()).isNotBlank();
        assertThat(doc.path("description").asText()).isNotBlank();
    }

    @Test
    void namesListsEverySchemaFileOnTheClasspath() {
        Path root = resource("/schemas");
        List<String> onDisk =
                jsonFiles(root).stream()
                        .map(p -> root.relativize(p).toString().replace('\\', '/'))
                        .map(p -> p.substring(0, p.length() - ".schema.json".length()))
                        .sorted()
                        .toList();

        assertThat(Schemas.names()).isSorted().containsExactlyElementsOf(onDisk);
    }

    @Test
    void everyExampleDirectoryBelongsToASchema() throws IOException {
        try (Stream<Path> dirs = Files.walk(examplesRoot())) {
            List<String> schemasWithExamples =
                    dirs.filter(d -> d.getFileName().toString().matches("valid|invalid"))
                            .map(d -> examplesRoot().relativize(d.getParent()).toString())
                            .map(p -> p.replace('\\', '/'))
                            .distinct()
                            .toList();

            assertThat(Schemas.names()).containsAll(schemasWithExamples);
        }
    }

    @Test
    void violationNamesTheOffendingJsonPath() {
        JsonNode fix = json("{\"timestamp\": 1, \"carIndex\": 0, \"location\": {\"long\": 0}}");

        assertThat(Schemas.get("telemetry/car-coordinates").validate(fix))
                .singleElement()
                .asString()
                .contains("$.location")
                .contains("lat");
    }

    @Test
    void refsBetweenSchemaFilesResolveFromTheClasspath() {
        JsonNode finalState = schemaDocument("audit/final-state").path("examples").get(0);
        ((ObjectNode) finalState.path("messageMetaData")).remove("sourceSystemID");

        assertThat(Schemas.get("audit/final-state").validate(finalState))
                .anySatisfy(v -> assertThat(v).contains("sourceSystemID"));
    }

    @Test
    void getReturnsOneCachedValidatorPerName() {
        assertThat(Schemas.get("wis2/notification")).isSameAs(Schemas.get("wis2/notification"));
        assertThat(Schemas.get("wis2/notification").name()).isEqualTo("wis2/notification");
    }

    @Test
    void getRejectsAnUnknownName() {
        assertThatThrownBy(() -> Schemas.get("telemetry/lap-times"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("telemetry/lap-times")
                .hasMessageContaining("telemetry/car-status");
    }

    @Test
    void formatsAreAssertedNotOnlyAnnotated() {
        assertThat(
                        Schemas.get("audit/message-accepted")
                                .validate(json("{\"messageID\": \"not-a-uuid\"}")))
                .isNotEmpty();
    }

    static Stream<String> schemaNames() {
        return Schemas.names().stream();
    }

    static Stream<Arguments> validExamples() {
        return examples("valid");
    }

    static Stream<Arguments> invalidExamples() {
        return examples("invalid");
    }

    private static Stream<Arguments> examples(String kind) {
        return Schemas.names().stream()
                .flatMap(
                        schema ->
                                jsonFiles(examplesRoot().resolve(schema).resolve(kind)).stream()
                                        .map(
                                                file ->
                                                        Arguments.of(
                                                                schema,
                                                                file.getFileName().toString(),
                                                                file)));
    }

    private static JsonNode schemaDocument(String schema) {
        return read(resource("/schemas/" + schema + ".schema.json"));
    }

    private static Path examplesRoot() {
        return resource("/examples");
    }

    private static List<Path> jsonFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path resource(String name) {
        try {
            return Path.of(SchemaExamplesTest.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
