package dev.millrace.wis2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A WIS2 Notification Message, kept as the JSON it arrived as: a Global Cache republishes it with a
 * few fields changed and everything else untouched, including fields this code does not know. The
 * accessors read what the Global Cache rules need; {@link #parse} checks that much.
 */
public final class Notification {
    private final ObjectNode json;
    private final String id;
    private final String dataId;
    private final Instant pubtime;

    private Notification(ObjectNode json, String id, String dataId, Instant pubtime) {
        this.json = json;
        this.id = id;
        this.dataId = dataId;
        this.pubtime = pubtime;
    }

    /**
     * @throws InvalidNotificationException naming what is missing or malformed
     */
    public static Notification parse(byte[] payload) {
        if (payload == null) {
            throw new InvalidNotificationException("no payload");
        }
        JsonNode root;
        try {
            root = Json.input().readTree(payload);
        } catch (JsonProcessingException e) {
            throw new InvalidNotificationException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidNotificationException("unreadable payload: " + e.getMessage());
        }
        if (!(root instanceof ObjectNode object)) {
            throw new InvalidNotificationException("not a JSON object");
        }
        return of(object);
    }

    static Notification of(ObjectNode json) {
        String id = text(json, "id", "id");
        JsonNode properties = json.get("properties");
        if (properties == null || !properties.isObject()) {
            throw new InvalidNotificationException("properties must be an object");
        }
        String dataId = text(properties, "data_id", "properties.data_id");
        String pubtimeText = text(properties, "pubtime", "properties.pubtime");
        Instant pubtime;
        try {
            pubtime = OffsetDateTime.parse(pubtimeText).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidNotificationException(
                    "properties.pubtime must be an RFC 3339 date-time, got '" + pubtimeText + "'");
        }
        JsonNode links = json.get("links");
        if (links == null || !links.isArray()) {
            throw new InvalidNotificationException("links must be an array");
        }
        return new Notification(json, id, dataId, pubtime);
    }

    private static String text(JsonNode node, String field, String path) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new InvalidNotificationException(path + " must be a non-empty string");
        }
        return value.asText();
    }

    public String id() {
        return id;
    }

    public String dataId() {
        return dataId;
    }

    public Instant pubtime() {
        return pubtime;
    }

    /** {@code properties.cache}; absent means true. */
    public boolean cache() {
        JsonNode cache = json.path("properties").get("cache");
        return cache == null || !cache.isBoolean() || cache.booleanValue();
    }

    /** {@code properties.global-cache}: the Global Cache that republished this, if one did. */
    public Optional<String> globalCache() {
        JsonNode value = json.path("properties").get("global-cache");
        return value != null && value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    /** {@code properties.integrity}, when the message has one. */
    public Optional<Integrity> integrity() {
        JsonNode integrity = json.path("properties").get("integrity");
        if (integrity == null || !integrity.isObject()) {
            return Optional.empty();
        }
        return Optional.of(
                new Integrity(
                        integrity.path("method").asText(""), integrity.path("value").asText("")));
    }

    /** {@code properties.content}, when the data travels inline. */
    public Optional<InlineContent> content() {
        JsonNode content = json.path("properties").get("content");
        if (content == null || !content.isObject()) {
            return Optional.empty();
        }
        return Optional.of(
                new InlineContent(
                        content.path("encoding").asText(""), content.path("value").asText("")));
    }

    public List<Link> links() {
        List<Link> links = new ArrayList<>();
        for (JsonNode link : json.get("links")) {
            links.add(new Link(link.path("rel").asText(""), link.path("href").asText("")));
        }
        return links;
    }

    /** Whether a link has relation {@code rel}: an update or deletion may follow a pubtime. */
    public boolean hasLink(String rel) {
        return links().stream().anyMatch(l -> l.rel().equals(rel));
    }

    /** Where to download the data: the {@code update} link, else the {@code canonical} one. */
    public Optional<Link> downloadLink() {
        List<Link> links = links();
        return links.stream()
                .filter(l -> l.rel().equals("update") && !l.href().isEmpty())
                .findFirst()
                .or(
                        () ->
                                links.stream()
                                        .filter(
                                                l ->
                                                        l.rel().equals("canonical")
                                                                && !l.href().isEmpty())
                                        .findFirst());
    }

    /** {@code properties.content.size}: the size of the inline data, decoded, when announced. */
    public OptionalLong contentSize() {
        JsonNode size = json.path("properties").path("content").get("size");
        return size != null && size.canConvertToLong()
                ? OptionalLong.of(size.longValue())
                : OptionalLong.empty();
    }

    /**
     * The data's size as announced: {@code properties.content.size}, else the {@code length} of the
     * link the data would be downloaded from.
     */
    public OptionalLong declaredSize() {
        OptionalLong contentSize = contentSize();
        if (contentSize.isPresent()) {
            return contentSize;
        }
        Optional<Link> link = downloadLink();
        if (link.isPresent()) {
            for (JsonNode candidate : json.get("links")) {
                if (candidate.path("href").asText("").equals(link.get().href())
                        && candidate.path("rel").asText("").equals(link.get().rel())
                        && candidate.has("length")
                        && candidate.get("length").canConvertToLong()) {
                    return OptionalLong.of(candidate.get("length").longValue());
                }
            }
        }
        return OptionalLong.empty();
    }

    /** The JSON itself, to read (validate, inspect): never change it. */
    public JsonNode asJson() {
        return json;
    }

    /** A copy of the JSON, to change without touching this notification. */
    public ObjectNode copyOfJson() {
        return json.deepCopy();
    }

    public byte[] bytes() {
        try {
            return Json.mapper().writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Link(String rel, String href) {}

    public record Integrity(String method, String value) {}

    public record InlineContent(String encoding, String value) {}
}
