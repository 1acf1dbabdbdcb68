package org.voltkeep.json;

/** Malformed JSON, or a value of the wrong type or range at a named path. */
public class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public JsonException(String message) {
        super(message);
    }
}
