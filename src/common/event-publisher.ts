import { Injectable } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { DomainEvent } from './events.js';

/** Publishes a domain event and waits for every listener; a listener's error propagates. */
@Injectable()
export class EventPublisher {
  constructor(private readonly emitter: EventEmitter2) {}

  async publish(event: DomainEvent): Promise<void> {
    const name = (event.constructor as unknown as { event: string }).event;
    await this.emitter.emitAsync(name, event);
  }
}
