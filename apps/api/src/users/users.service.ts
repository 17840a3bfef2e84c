import { Injectable } from '@nestjs/common';
import { type ChangeRoleInput, type ResetPasswordInput, type UserView, UsersRepository } from '@sw/persistence';
import { UserStateService } from '../auth/user-state.service';

/**
 * The admin's user changes (issue 18). Each bumps the user's token version, so every token issued
 * before dies; this process closes the user's live-feed sockets at once, and the other api
 * processes on the `users_changed` notification the same commit sends.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly state: UserStateService,
  ) {}

  setDisabled(id: string, disabled: boolean): Promise<UserView> {
    return this.revoking(id, this.users.setDisabled(id, disabled));
  }

  changeRole(id: string, input: ChangeRoleInput): Promise<UserView> {
    return this.revoking(id, this.users.changeRole(id, input));
  }

  resetPassword(id: string, input: ResetPasswordInput): Promise<UserView> {
    return this.revoking(id, this.users.resetPassword(id, input));
  }

  private async revoking(id: string, change: Promise<UserView>): Promise<UserView> {
    const user = await change;
    this.state.changed(id);
    return user;
  }
}
