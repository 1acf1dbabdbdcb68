package org.voltkeep.hal.sim.scenario;

/**
 * Receives what a {@link ScenarioPlayer} cannot do itself. Called on the thread
 * that ticks the player, outside its lock; implementations should hand the work to
 * another thread and call {@link ScenarioPlayer#resume()} when the cue was carried out.
 */
public interface CueListener {
    /** Board time stands still until {@link ScenarioPlayer#resume()}. */
    void onCue(ScenarioPlayer player, Scenario.Entry entry, long boardMillis);

    /** The scenario ended; called once. */
    default void onFinished(ScenarioPlayer player, long boardMillis) {
    }

    /** A physical action could not be applied (for example, plugging in twice). */
    default void onProblem(ScenarioPlayer player, Scenario.Entry entry, String problem) {
    }
}
