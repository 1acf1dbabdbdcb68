package org.voltkeep.image;

/** An image could not be built; the message names the input and what was wrong with it. */
public class ImageBuildException extends Exception {
    private static final long serialVersionUID = 1L;

    public ImageBuildException(String message) {
        super(message);
    }

    public ImageBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
