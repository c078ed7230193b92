/** One item's place in a LinkedList. */
export interface Link<T> {
  value: T | undefined;
  prev: Link<T> | undefined;
  next: Link<T> | undefined;
  linked: boolean;
}

/**
 * Items in the order they were added, each removed in constant time from wherever it is. A removed
 * link points at nothing, and no table keeps what was removed: a Set or Map that items keep
 * entering and leaving leaves old tables behind, and while the garbage collector has not found
 * them dead, they keep young items (and all they hold) alive from one collection to the next.
 */
export class LinkedList<T> {
  private head: Link<T> | undefined;
  private tail: Link<T> | undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(value: T): Link<T> {
    const link: Link<T> = { value, prev: this.tail, next: undefined, linked: true };
    if (this.tail) this.tail.next = link;
    else this.head = link;
    this.tail = link;
    this.count++;
    return link;
  }

  /** Takes the link out of the list; false when it was out already. */
  remove(link: Link<T>): boolean {
    if (!link.linked) return false;
    const { prev, next } = link;
    if (prev) prev.next = next;
    else this.head = next;
    if (next) next.prev = prev;
    else this.tail = prev;
    link.linked = false;
    link.value = link.prev = link.next = undefined;
    this.count--;
    return true;
  }

  /** The oldest item, or undefined when the list is empty. */
  first(): T | undefined {
    return this.head?.value;
  }

  /** The items in the order they were added, taken at once: the list may change while they are used. */
  values(): T[] {
    const values: T[] = [];
    for (let link = this.head; link; link = link.next) values.push(link.value!);
    return values;
  }
}
