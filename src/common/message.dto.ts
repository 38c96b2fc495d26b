export class MessageDto {
  /**
   * A human-readable outcome.
   * @example "If the address can be registered, a message is on its way to it."
   */
  message!: string;
}

export const message = (text: string): MessageDto => ({ message: text });
