package dev.liveupdate.operator.planning;

/**
 * One node the plan has to consider: selected by its selector, held by it, or cordoned by it.
 *
 * @param node     null when the Node object is gone
 * @param lun      null when the node has no LiveUpdateNode (no agent)
 * @param selected whether the plan's selector matches the Node now
 */
public record NodeEntry(String name, NodeView node, LunView lun, boolean selected) {
}
