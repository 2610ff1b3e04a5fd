package dev.millrace.wis2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.millrace.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Writes a WIS2 Notification Message as a WIS2 node publishes one: the core class, a data id and
 * metadata id, a publication time, links, and optionally a point, integrity, inline content and
 * {@code cache: false}. The demo feed, the benchmark, the emulated test nodes and the tests all
 * write theirs with it.
 */
public final class WnmBuilder {
    public static final String CORE_CLASS = "http://wis.wmo.int/spec/wnm/1/conf/core";

    private final ObjectNode root = Json.mapper().createObjectNode();
    private final ObjectNode properties;
    private final ArrayNode links;

    private WnmBuilder(String id, String dataId, String pubtime) {
        root.put("id", id);
        root.putArray("conformsTo").add(CORE_CLASS);
        root.put("type", "Feature");
        root.putNull("geometry");
        properties = root.putObject("properties");
        properties.put("data_id", dataId);
        properties.put("metadata_id", "urn:wmo:md:" + centreOf(dataId) + ":synop");
        properties.put("pubtime", pubtime);
        properties.put("datetime", pubtime);
        links = root.putArray("links");
    }

    /**
     * A notification of {@code dataId} published at {@code pubtime} (RFC 3339, UTC), whose data
     * time is the publication time and whose metadata id is the centre's synop record, until told
     * otherwise.
     */
    public static WnmBuilder notification(String id, String dataId, String pubtime) {
        return new WnmBuilder(id, dataId, pubtime);
    }

    public WnmBuilder metadataId(String metadataId) {
        properties.put("metadata_id", metadataId);
        return this;
    }

    public WnmBuilder datetime(String datetime) {
        properties.put("datetime", datetime);
        return this;
    }

    public WnmBuilder point(double longitude, double latitude) {
        ObjectNode geometry = root.putObject("geometry");
        geometry.put("type", "Point");
        geometry.putArray("coordinates").add(longitude).add(latitude);
        return this;
    }

    /** {@code properties.integrity}: a digest method and its base64 value. */
    public WnmBuilder integrity(String method, String value) {
        ObjectNode integrity = properties.putObject("integrity");
        integrity.put("method", method);
        integrity.put("value", value);
        return this;
    }

    /** {@code properties.integrity} with the digest of {@code data}, computed. */
    public WnmBuilder integrityOf(String method, byte[] data) {
        return integrity(
                method, Base64.getEncoder().encodeToString(Checksums.digest(method, data)));
    }

    /**
     * {@code properties.content}: data inline, as {@code utf-8}, {@code base64} or {@code gzip}.
     */
    public WnmBuilder content(String encoding, String value, long size) {
        ObjectNode content = properties.putObject("content");
        content.put("encoding", encoding);
        content.put("value", value);
        content.put("size", size);
        return this;
    }

    /** {@code properties.cache}: false asks Global Caches not to cache the data. */
    public WnmBuilder cache(boolean cache) {
        properties.put("cache", cache);
        return this;
    }

    /** Any other property, as given. */
    public WnmBuilder property(String name, String value) {
        properties.put(name, value);
        return this;
    }

    public WnmBuilder link(String rel, String href, String type) {
        ObjectNode link = links.addObject();
        link.put("href", href);
        link.put("rel", rel);
        if (type != null) {
            link.put("type", type);
        }
        return this;
    }

    /** A link with the length of what it points at, as the WMO Global Cache tests expect. */
    public WnmBuilder link(String rel, String href, String type, long length) {
        link(rel, href, type);
        ((ObjectNode) links.get(links.size() - 1)).put("length", length);
        return this;
    }

    /** Any other top-level member. */
    public WnmBuilder member(String name, com.fasterxml.jackson.databind.JsonNode value) {
        root.set(name, value);
        return this;
    }

    public ObjectNode json() {
        return root.deepCopy();
    }

    public byte[] bytes() {
        return toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        try {
            return Json.mapper().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The centre id a data id starts with. */
    private static String centreOf(String dataId) {
        int slash = dataId.indexOf('/');
        return slash < 0 ? dataId : dataId.substring(0, slash);
    }
}
